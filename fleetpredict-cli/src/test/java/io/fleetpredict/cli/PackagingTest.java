package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The published artifacts, read from the reactor's own POMs: the BOM lists every module except the
 * benchmarks, at the reactor's version, and every jar module names its automatic module.
 */
class PackagingTest {

    private static final Path ROOT = Path.of("..");
    private static final String GROUP = "io.fleetpredict";
    /** Built in the reactor, never published. */
    private static final Set<String> UNPUBLISHED = Set.of("fleetpredict-bench");
    private static final Pattern MODULE_NAME = Pattern.compile("io\\.fleetpredict(\\.[a-z]+)+");

    @Test
    void bom_listsEveryPublishedModuleAtTheReactorVersion() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        Element bom = read(ROOT.resolve("fleetpredict-bom/pom.xml"));

        Set<String> published = new TreeSet<>();
        for (String module : texts(child(parent, "modules"), "module")) {
            if (module.equals("fleetpredict-bom") || UNPUBLISHED.contains(module)) {
                continue;
            }
            published.add(text(read(ROOT.resolve(module).resolve("pom.xml")), "artifactId"));
        }
        Map<String, Element> managed = new LinkedHashMap<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertEquals(GROUP, text(dependency, "groupId"), "BOM entry group");
            assertEquals("${project.version}", text(dependency, "version"), "BOM entry version of " + text(dependency, "artifactId"));
            managed.put(text(dependency, "artifactId"), dependency);
        }

        assertEquals(published, new TreeSet<>(managed.keySet()), "fleetpredict-bom/pom.xml must list exactly the published modules");
        assertEquals(text(parent, "version"), text(bom, "version"), "the BOM's version is the reactor's");
        assertTrue(texts(child(parent, "modules"), "module").contains("fleetpredict-bom"), "the reactor builds the BOM");
        assertFalse(managed.containsKey("fleetpredict-bench"), "the benchmarks are not published");
    }

    /**
     * The BOM has no parent, so the plugins of its own build (install, deploy, clean) would otherwise be the
     * versions the running Maven defaults to (install 2.4 on Maven 3.8), which need artifacts a build that
     * resolved only the reactor's plugins does not hold: {@code mvn -o install} stopped at the BOM.
     */
    @Test
    void bom_pinsItsLifecyclePluginsAtTheParentsVersions() throws Exception {
        Map<String, String> parentPlugins = pluginVersions(read(ROOT.resolve("pom.xml")));
        Map<String, String> bomPlugins = pluginVersions(read(ROOT.resolve("fleetpredict-bom/pom.xml")));

        for (String plugin : List.of("maven-install-plugin", "maven-deploy-plugin", "maven-clean-plugin")) {
            assertTrue(parentPlugins.containsKey(plugin), () -> "the parent pins " + plugin);
            assertEquals(parentPlugins.get(plugin), bomPlugins.get(plugin), "fleetpredict-bom/pom.xml version of " + plugin);
        }
    }

    /** The versions of the plugins a POM's {@code build/pluginManagement} names, by artifact id. */
    private static Map<String, String> pluginVersions(Element pom) {
        Map<String, String> versions = new LinkedHashMap<>();
        Element plugins = child(child(child(pom, "build"), "pluginManagement"), "plugins");
        for (Element plugin : children(plugins, "plugin")) {
            versions.put(text(plugin, "artifactId"), text(plugin, "version"));
        }
        return versions;
    }

    @Test
    void everyJarModule_namesItsAutomaticModule_andOnlyTheBenchmarksSkipDeploy() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        List<String> names = new ArrayList<>();
        for (String module : texts(child(parent, "modules"), "module")) {
            Element pom = read(ROOT.resolve(module).resolve("pom.xml"));
            if ("pom".equals(text(pom, "packaging"))) {
                continue;
            }
            Element properties = child(pom, "properties");
            String name = properties == null ? null : text(properties, "automatic.module.name");
            assertTrue(name != null && MODULE_NAME.matcher(name).matches(), module + " must set automatic.module.name, got " + name);
            names.add(name);
            String skip = properties == null ? null : text(properties, "maven.deploy.skip");
            assertEquals(UNPUBLISHED.contains(module) ? "true" : null, skip, module + " maven.deploy.skip");
        }
        assertEquals(names.size(), new TreeSet<>(names).size(), "automatic module names must differ: " + names);
        assertTrue(names.contains("io.fleetpredict.core"), names::toString);
    }

    @Test
    void parent_carriesWhatAReleaseNeeds() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        Element properties = child(parent, "properties");

        assertTrue(text(properties, "project.build.outputTimestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                "a fixed outputTimestamp makes the jars reproducible");
        for (String required : List.of("name", "description", "url")) {
            assertFalse(text(parent, required).isBlank(), required);
        }
        assertTrue(child(child(parent, "licenses"), "license") != null, "licenses");
        assertTrue(child(child(parent, "developers"), "developer") != null, "developers");
        assertFalse(text(child(parent, "scm"), "connection").isBlank(), "scm connection");
        assertFalse(text(child(parent, "scm"), "url").isBlank(), "scm url");
    }

    private static Element read(Path pom) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(Files.newInputStream(pom));
            return document.getDocumentElement();
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException(pom + ": " + e.getMessage(), e);
        }
    }

    /** The first direct child of that name, or null. */
    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(e -> e.getTextContent().trim()).toList();
    }
}
