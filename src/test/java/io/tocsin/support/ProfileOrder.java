package io.tocsin.support;

import java.util.Arrays;
import java.util.Comparator;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.ClassDescriptor;

/**
 * The order of test classes inside each test profile. Quarkus' {@code QuarkusTestProfileAwareClassOrderer} runs the
 * classes of one profile together (one application start, one dynalite per profile) and orders them with this
 * secondary orderer (surefire sets {@code junit.quarkus.orderer.secondary-orderer}): by class name, as Quarkus' default
 * does, except that classes marked {@link RunsLastInProfile} come after every other class, so that what a fuzz test
 * stored cannot reach a test that shares its profile.
 */
public class ProfileOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing(ProfileOrder::runsLast)
                .thenComparing(d -> d.getTestClass().getName()));
    }

    /**
     * By the annotation's name: Quarkus loads each profile's test classes in that profile's class loader, where the
     * annotation is another class than the one this orderer (in the launcher's class loader) sees.
     */
    private static boolean runsLast(ClassDescriptor descriptor) {
        return Arrays.stream(descriptor.getTestClass().getAnnotations())
                .anyMatch(a -> a.annotationType().getName().equals(RunsLastInProfile.class.getName()));
    }
}
