package io.tocsin.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tocsin.support.Projects;

/**
 * The production classes (target/classes, what Quarkus packages into function.zip) hold none of the dev and test
 * machinery: no dynalite launcher, no table bootstrap, no request meter, nothing of the local run. FunctionZipContentsIT
 * checks the package itself.
 */
class ProductionClassesTest {

    @Test
    void noDevMachineryInTheProductionClasses() {
        Path classes = Projects.root().resolve("target/classes");
        assumeFalse(Files.exists(classes.resolve("io/tocsin/local")), "a local-run build (-Dlocal) compiles them in");
        List<String> machinery = DevMachinery.classFiles();
        assertTrue(machinery.contains("io/tocsin/store/DynaliteServer.class"), machinery.toString());
        assertTrue(machinery.contains("io/tocsin/store/TableBootstrap.class"), machinery.toString());
        assertTrue(machinery.contains("io/tocsin/store/DynamoRequestMeter.class"), machinery.toString());
        assertEquals(List.of(), machinery.stream().filter(c -> Files.exists(classes.resolve(c))).toList());
    }

    @Test
    void theRequestMeterIsRegisteredForTheTestsOnly() throws Exception {
        List<String> lines = Files.readAllLines(Projects.root().resolve("src/main/resources/application.properties"));
        assertEquals(List.of("%test.quarkus.dynamodb.interceptors=io.tocsin.store.DynamoRequestMeter"),
                lines.stream().filter(l -> l.contains("DynamoRequestMeter")).toList());
    }
}
