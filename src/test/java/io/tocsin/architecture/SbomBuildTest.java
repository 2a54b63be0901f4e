package io.tocsin.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import io.tocsin.support.Projects;

/**
 * Issue 23: the function package's build writes a CycloneDX SBOM of what function.zip runs: the cyclonedx plugin in
 * the lambda profile (the one that makes function.zip), at package, over the runtime scope only, as
 * target/bom.json. (An offline build skips it: the plugin requires online mode, and Maven skips such a goal bound to
 * the lifecycle when offline.)
 */
class SbomBuildTest {

    @Test
    void theLambdaPackageWritesACycloneDxSbomOfItsRuntimeDependencies() throws Exception {
        Path pom = Projects.root().resolve("pom.xml");
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Element lambda = null;
        NodeList profiles = document.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if ("lambda".equals(child(profile, "id").getTextContent().trim())) {
                lambda = profile;
            }
        }
        assertNotNull(lambda, "the lambda profile makes function.zip");
        Element plugin = null;
        NodeList plugins = lambda.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            if ("cyclonedx-maven-plugin".equals(child(p, "artifactId").getTextContent().trim())) {
                plugin = p;
            }
        }
        assertNotNull(plugin, "the lambda profile runs org.cyclonedx:cyclonedx-maven-plugin");
        Element execution = (Element) plugin.getElementsByTagName("execution").item(0);
        assertEquals("package", child(execution, "phase").getTextContent().trim());
        assertEquals("makeBom", execution.getElementsByTagName("goal").item(0).getTextContent().trim());
        Map<String, String> configuration = new HashMap<>();
        NodeList settings = child(execution, "configuration").getChildNodes();
        for (int i = 0; i < settings.getLength(); i++) {
            if (settings.item(i) instanceof Element e) {
                configuration.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        assertEquals(Map.of("projectType", "application", "includeScope", "runtime", "includeTestScope", "false",
                "includeProvidedScope", "false", "includeSystemScope", "false", "outputFormat", "json",
                "outputName", "bom"), configuration, "what function.zip runs, as target/bom.json");
        assertTrue(document.getElementsByTagName("cyclonedx-plugin.version").item(0).getTextContent()
                .matches("\\d+\\.\\d+\\.\\d+"), "a pinned plugin version");
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError(parent.getTagName() + " has no " + name);
    }
}
