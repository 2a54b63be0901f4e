package io.tocsin.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that leaves state behind it (the fuzz tests store whatever their inputs create) and so runs after the
 * other classes of its test profile, which share its application start and dynalite ({@link ProfileOrder}).
 */
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RunsLastInProfile {
}
