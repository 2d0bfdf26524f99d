package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudProviders;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A host that imports the BOM and depends on the core library and this provider, leaving the versions out as
 * the README says, gets a class path on which the provider provisions and describes: the core library brings
 * jackson-databind 2.x, whose jackson-annotations is older than the one fabric8's Jackson 3 needs, and Maven
 * takes the nearest, so this module must bring the newer one nearer still.
 *
 * <p>Runs by failsafe after the jar is packaged. A nested Maven resolves the host's class path into a private
 * local repository under {@code target/}, as {@code FirstProjectIT} of the core module does: fleetpredict's poms
 * from the source tree and its jars just built are written there, and everything else is read from the build's
 * own local repository, declared as a read-only file repository. A second JVM on that class path then loads the
 * provider by name and provisions against fabric8's mock API server, which runs in this JVM.
 */
class BomConsumerIT {

    private static final List<String> ARTIFACTS = List.of("cloud-spi", "forecast", "core", "kubernetes");

    @AfterAll
    static void stop() {
        KarpenterCloudCompatibilityTest.stop();
    }

    @Test
    void hostImportingTheBom_withCoreAndThisProvider_provisionsAndDescribes() throws Exception {
        String version = System.getProperty("fleetpredict.version");
        Path target = Path.of(System.getProperty("fleetpredict.buildDirectory", "target")).toAbsolutePath();
        Path project = target.resolve("bom-consumer");
        delete(project);
        Files.createDirectories(project);
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>nodes</artifactId>
                  <version>1.0</version>
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>io.fleetpredict</groupId>
                        <artifactId>fleetpredict-bom</artifactId>
                        <version>%s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                    <dependency>
                      <groupId>io.fleetpredict</groupId>
                      <artifactId>fleetpredict-core</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>io.fleetpredict</groupId>
                      <artifactId>fleetpredict-kubernetes</artifactId>
                    </dependency>
                  </dependencies>
                </project>
                """.formatted(version));
        Path repository = target.resolve("bom-consumer-repository");
        publish(repository, version);
        Path settings = target.resolve("bom-consumer-settings.xml");
        Files.writeString(settings, settings(Path.of(System.getProperty("fleetpredict.localRepository"))));
        Path classPathFile = project.resolve("classpath.txt");

        String mavenHome = System.getProperty("maven.home");
        List<String> mvn = new ArrayList<>();
        mvn.add(mavenHome == null || mavenHome.isBlank() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString());
        mvn.addAll(List.of("-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repository,
                "org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath",
                "-Dmdep.outputFile=" + classPathFile));
        run(mvn, project, target.resolve("bom-consumer-maven.log"));
        String classPath = Files.readString(classPathFile).strip();

        KubernetesClient client = KarpenterCloudCompatibilityTest.client();
        client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(KarpenterCloudCompatibilityTest.nodePool())
                .create();
        Path prices = project.resolve("prices.csv");
        Files.writeString(prices, "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n"
                + "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // This class's folder first, for Host alone: everything Host uses comes from the host's class path.
        String testClasses = Path.of(BomConsumerIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String printed = run(List.of(java.toString(), "-Dkubernetes.master=" + client.getMasterUrl(),
                "-Dkubernetes.auth.tryKubeConfig=false", "-Dkubernetes.auth.tryServiceAccount=false",
                "-Dkubernetes.trust.certificates=true", "-cp", testClasses + File.pathSeparator + classPath,
                Host.class.getName(), prices.toString()), project, target.resolve("bom-consumer-host.log"));

        assertTrue(printed.contains("provisioned 1 of 1") && printed.contains("described 1"), printed);
        assertEquals(1, client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).list().getItems().size());
    }

    /** The host's program: loads the provider as docs/integrations.md says and provisions one node. */
    static final class Host {
        private Host() {
        }

        public static void main(String[] args) {
            CloudProvider nodes = CloudProviders.load("karpenter", Map.of("node-pool", "general", "price-list", args[0]));
            var result = nodes.provision(new ProvisionRequest("bom-consumer", "m6i.large", "eu-west-1",
                    PurchaseOption.ON_DEMAND, 1, Map.of()));
            System.out.println("provisioned " + result.instances().size() + " of 1");
            System.out.println("described " + nodes.describe(DescribeRequest.all()).instances().size());
            System.exit(0);
        }
    }

    /** Runs a command in {@code dir}, its output to {@code log}; fails the test unless it exits 0 in time. */
    private static String run(List<String> command, Path dir, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = process.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(done, String.join(" ", command) + " did not finish in 10 minutes:\n" + output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    /** Writes fleetpredict's poms and jars into a local repository, as an install would. */
    private static void publish(Path repository, String version) throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        copy(root.resolve("pom.xml"), repository, "parent", version, "pom");
        copy(root.resolve("fleetpredict-bom/pom.xml"), repository, "bom", version, "pom");
        for (String a : ARTIFACTS) {
            copy(root.resolve("fleetpredict-" + a).resolve("pom.xml"), repository, a, version, "pom");
            copy(jar(a, version), repository, a, version, "jar");
        }
    }

    /** The artifact's jar as this build sees it: this module's own, the others' from the test class path. */
    private static Path jar(String artifact, String version) {
        if (artifact.equals("kubernetes")) {
            return Path.of(System.getProperty("fleetpredict.moduleJar"));
        }
        String name = "fleetpredict-" + artifact + "-" + version + ".jar";
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not on the test class path"));
    }

    private static void copy(Path from, Path repository, String artifact, String version, String extension)
            throws IOException {
        Path dir = repository.resolve("io/fleetpredict/fleetpredict-" + artifact + "/" + version);
        Files.createDirectories(dir);
        Files.copy(from, dir.resolve("fleetpredict-" + artifact + "-" + version + "." + extension),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Settings that read releases from the build's own local repository before the remote ones. */
    private static String settings(Path buildRepository) {
        String repository = """
                <id>build-repository</id><url>%s</url>
                <releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>"""
                .formatted(buildRepository.toAbsolutePath().toUri());
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>build-repository</id>
                      <repositories><repository>%s</repository></repositories>
                      <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>build-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, repository);
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
