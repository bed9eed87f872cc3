package dev.baton.ops;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Every manifest under k8s/ is well-formed for its kind (the fabric8 model, strictly: an unknown
 * field fails), every kustomization references files that exist, and the manifests agree with the
 * application: probe paths and port, environment variables the application really reads, one
 * image, secret keys that exist, a grace period longer than the shutdown timeout.
 */
public class KubernetesManifestTests {

    static final Path K8S = Path.of("k8s");
    static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    static final Set<String> PROBES = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
    /** Environment variables read by the JVM itself and by Quarkus for its own runtime properties. */
    static final Set<String> PLATFORM_ENV = Set.of("JAVA_TOOL_OPTIONS", "QUARKUS_INIT_AND_EXIT",
            "QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM");
    /**
     * Secrets created outside these manifests: name → keys. {@code baton} by the operator (README,
     * Deploying: no template is applied, so none can overwrite it), the others by CloudNativePG.
     */
    static final Map<String, Set<String>> GENERATED_SECRETS = Map.of(
            "baton", Set.of("db-password", "signup-enabled", "jwt-private.pem", "jwt-public.pem", "secrets.key"),
            "baton-db-app", Set.of("username", "password", "host", "port", "dbname", "uri", "jdbc-uri"),
            "baton-db-ca", Set.of("ca.crt", "ca.key"));
    static final String MANAGEMENT_PORT = "9000";

    static final ObjectMapper YAML = new YAMLMapper();
    static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    record Manifest(Path file, JsonNode tree) {
        String kind() {
            return tree.path("kind").asText();
        }

        String apiVersion() {
            return tree.path("apiVersion").asText();
        }

        boolean isKustomization() {
            return file.getFileName().toString().equals("kustomization.yaml");
        }

        @Override
        public String toString() {
            return K8S.relativize(file) + " " + kind() + "/" + tree.path("metadata").path("name").asText();
        }
    }

    @Test
    void shouldParseEveryManifestStrictlyForItsKind() {
        assertAll(resources().map(m -> () -> {
            assertFalse(m.kind().isEmpty(), m + ": kind");
            assertFalse(m.apiVersion().isEmpty(), m + ": apiVersion");
            assertFalse(m.tree.path("metadata").path("name").asText().isEmpty(), m + ": metadata.name");
            HasMetadata parsed = KUBERNETES.unmarshal(YAML.writeValueAsString(m.tree));
            if (!(parsed instanceof GenericKubernetesResource)) {
                List<String> unknown = new ArrayList<>();
                unknownFields(parsed, m.kind(), unknown, new HashSet<>());
                assertEquals(List.of(), unknown, m + ": fields the " + m.kind() + " schema does not have");
            }
        }));
    }

    @Test
    void shouldReferenceOnlyExistingFilesAndUseEveryFile() throws IOException {
        Set<Path> used = new HashSet<>();
        for (Manifest k : kustomizations().toList()) {
            Path dir = k.file.getParent();
            used.add(k.file.normalize());
            for (JsonNode resource : k.tree.path("resources")) {
                Path target = dir.resolve(resource.asText()).normalize();
                assertTrue(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")),
                        k + ": missing resource " + resource.asText());
                used.add(target);
            }
            for (JsonNode patch : k.tree.path("patches")) {
                if (patch.has("path")) {
                    Path target = dir.resolve(patch.get("path").asText()).normalize();
                    assertTrue(Files.isRegularFile(target), k + ": missing patch " + target);
                    used.add(target);
                } else {
                    assertTrue(patch.has("patch") && patch.has("target"), k + ": an inline patch needs a target");
                }
            }
        }
        try (Stream<Path> files = Files.walk(K8S)) {
            List<Path> unused = files.filter(f -> f.toString().endsWith(".yaml")).map(Path::normalize)
                    .filter(f -> !used.contains(f)).toList();
            assertEquals(List.of(), unused, "manifests no kustomization uses");
        }
    }

    @Test
    void shouldProbeTheHealthEndpointsOnTheManagementPort() {
        String port = property("quarkus.http.port").replaceAll("\\$\\{[A-Z_]+:([0-9]+)}", "$1");
        assertAll(podSpecs().flatMap(spec -> spec.getContainers().stream()).map(c -> () -> {
            assertTrue(c.getPorts().stream().anyMatch(p -> p.getContainerPort() == Integer.parseInt(port)),
                    c.getName() + " does not expose quarkus.http.port " + port);
            List<Probe> probes = Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())
                    .filter(p -> p != null).toList();
            assertTrue(probes.size() >= 2, c.getName() + " needs liveness and readiness probes");
            for (Probe probe : probes) {
                HTTPGetAction get = probe.getHttpGet();
                if (get == null) {
                    // Knative's liveness: a TCP check of the serving port (Knative rewrites its port).
                    assertEquals(Integer.valueOf(port), probe.getTcpSocket().getPort().getIntVal(), "a TCP probe checks the serving port");
                    continue;
                }
                assertTrue(PROBES.contains(get.getPath()), "unknown probe path " + get.getPath());
                assertTrue("management".equals(get.getPort().getStrVal()) || Integer.valueOf(MANAGEMENT_PORT).equals(get.getPort().getIntVal()),
                        get.getPath() + " is served on the management port only, not " + get.getPort());
            }
        }));
        Container container = deployment().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("/q/health/started", container.getStartupProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
    }

    @Test
    void shouldSetOnlyEnvironmentVariablesTheApplicationReads() {
        Set<String> read = environmentVariablesRead();
        Set<String> set = new TreeSet<>();
        typed(ConfigMap.class).forEach(cm -> set.addAll(cm.getData().keySet()));
        allPodSpecs().flatMap(spec -> spec.getContainers().stream()).forEach(c -> c.getEnv().forEach(e -> set.add(e.getName())));
        set.removeAll(read);
        assertEquals(Set.of(), set, "set but never read (known: " + read + ")");
    }

    @Test
    void shouldUseOneImageAndTheSecretKeysThatExist() {
        Set<String> images = allPodSpecs().flatMap(spec -> spec.getContainers().stream()).map(Container::getImage)
                .collect(Collectors.toSet());
        assertEquals(1, images.size(), "one image everywhere: " + images);
        assertEquals(0, typed(Secret.class).count(), "no Secret in k8s/: applying a template would overwrite the real one");
        Map<String, Set<String>> secrets = GENERATED_SECRETS;
        assertAll(allPodSpecs().map(spec -> () -> {
            spec.getContainers().forEach(c -> c.getEnv().stream().filter(e -> e.getValueFrom() != null
                    && e.getValueFrom().getSecretKeyRef() != null).forEach(e -> {
                        var ref = e.getValueFrom().getSecretKeyRef();
                        assertTrue(secrets.getOrDefault(ref.getName(), Set.of()).contains(ref.getKey()),
                                e.getName() + " refers to a missing secret key " + ref.getName() + "/" + ref.getKey());
                    }));
            spec.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> v.getSecret().getItems()
                    .forEach(item -> assertTrue(secrets.getOrDefault(v.getSecret().getSecretName(), Set.of()).contains(item.getKey()),
                            "volume " + v.getName() + " mounts a missing key " + item.getKey())));
        }));
    }

    @Test
    void shouldRunNonRootReadOnlyAndShutDownWithinTheGracePeriod() {
        Duration shutdown = Duration.parse(property("quarkus.shutdown.timeout"));
        // Knative sets the grace period itself (from timeoutSeconds) and refuses the field.
        assertTrue(deployment().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() > shutdown.toSeconds() + 5,
                "grace period must exceed quarkus.shutdown.timeout " + shutdown + " and the preStop pause");
        assertAll(allPodSpecs().map(spec -> () -> spec.getContainers().forEach(c -> {
            assertTrue(c.getSecurityContext().getRunAsNonRoot(), c.getName() + " runAsNonRoot");
            assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), c.getName() + " read-only root");
            assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation(), c.getName() + " no privilege escalation");
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), c.getName() + " drops every capability");
            assertNotNull(c.getResources().getLimits().get("memory"), c.getName() + " memory limit");
        })));
        assertEquals(1, typed(PodDisruptionBudget.class).count());
        assertEquals("baton", typed(HorizontalPodAutoscaler.class).findFirst().orElseThrow().getSpec().getScaleTargetRef().getName());
    }

    @Test
    void shouldScaleTheKnativeServiceToZeroAndKeepWebSocketsOpen() {
        JsonNode service = resources().filter(m -> m.apiVersion().equals("serving.knative.dev/v1") && m.kind().equals("Service"))
                .findFirst().orElseThrow().tree;
        JsonNode template = service.path("spec").path("template");
        assertEquals("0", template.path("metadata").path("annotations").path("autoscaling.knative.dev/min-scale").asText());
        assertTrue(template.path("spec").path("timeoutSeconds").asInt() >= 600, "sockets need a long request timeout");
        assertTrue(template.path("spec").path("containerConcurrency").asInt() >= 100, "a socket holds one concurrency slot");
    }

    @Test
    void shouldWireTheCloudNativePgClusterIntoTheApplication() {
        JsonNode cluster = resources().filter(m -> m.apiVersion().equals("postgresql.cnpg.io/v1") && m.kind().equals("Cluster"))
                .findFirst().orElseThrow().tree;
        String name = cluster.path("metadata").path("name").asText();
        String database = cluster.path("spec").path("bootstrap").path("initdb").path("database").asText();
        assertTrue(cluster.path("spec").path("instances").asInt() >= 1);
        assertTrue(GENERATED_SECRETS.containsKey(name + "-app"), "the operator's secret is " + name + "-app");
        Manifest patch = resources().filter(m -> m.file.startsWith(K8S.resolve("overlays/cloudnative-pg")) && m.kind().equals("ConfigMap"))
                .findFirst().orElseThrow();
        assertEquals("postgresql://" + name + "-rw:5432/" + database,
                patch.tree.path("data").path("QUARKUS_DATASOURCE_REACTIVE_URL").asText());
    }

    @Test
    void shouldMigrateOnceInAJobWhileThePodsSkipMigrations() {
        assertTrue(property("quarkus.flyway.migrate-at-start").contains("${BATON_MIGRATE_AT_START:"),
                "the pods' switch must be the variable the manifests set");
        ConfigMap config = typed(ConfigMap.class).filter(c -> c.getMetadata().getName().equals("baton-config")
                && c.getData().containsKey("BATON_JWT_ISSUER")).findFirst().orElseThrow();
        assertEquals("false", config.getData().get("BATON_MIGRATE_AT_START"), "pods must not migrate at start");
        Job job = typed(Job.class).filter(j -> j.getSpec().getTemplate().getSpec().getContainers().get(0).getImage() != null)
                .findFirst().orElseThrow();
        PodSpec spec = job.getSpec().getTemplate().getSpec();
        Map<String, String> env = spec.getContainers().get(0).getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertEquals("true", env.get("BATON_MIGRATE_AT_START"));
        assertEquals("true", env.get("QUARKUS_INIT_AND_EXIT"), "the Job's container must exit after migrating");
        assertTrue(Set.of("OnFailure", "Never").contains(spec.getRestartPolicy()));
        assertNotNull(job.getSpec().getTtlSecondsAfterFinished(), "a finished Job must go away so the next release can run it");
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        assertTrue(spec.getVolumes().stream().allMatch(v -> v.getSecret() == null), "the Job signs no token: no key mounted");
        assertEquals(pod.getContainers().get(0).getEnvFrom(), spec.getContainers().get(0).getEnvFrom());

        // The CloudNativePG overlay must give the Job the same credentials as the pods.
        Map<String, List<String>> credentials = new HashMap<>();
        read(K8S.resolve("overlays/cloudnative-pg/use-cluster-credentials.yaml")).filter(m -> !m.kind().equals("ConfigMap"))
                .forEach(m -> credentials.put(m.kind(), m.tree.findValue("containers").get(0).path("env").findValuesAsText("name")));
        assertEquals(Set.of("Deployment", "Job"), credentials.keySet());
        assertEquals(credentials.get("Deployment"), credentials.get("Job"));
    }

    // ---- loading -------------------------------------------------------------------------------

    static Stream<Manifest> all() {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream().flatMap(KubernetesManifestTests::read);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Manifest> read(Path file) {
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            List<Manifest> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(tree -> docs.add(new Manifest(file, tree)));
            return docs.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid YAML", e);
        }
    }

    static Stream<Manifest> kustomizations() {
        return all().filter(Manifest::isKustomization);
    }

    static Stream<Manifest> resources() {
        return all().filter(m -> !m.isKustomization());
    }

    static <T extends HasMetadata> Stream<T> typed(Class<T> type) {
        return resources().map(m -> KUBERNETES.convertValue(m.tree, HasMetadata.class)).filter(type::isInstance).map(type::cast);
    }

    static Deployment deployment() {
        return typed(Deployment.class).filter(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage() != null)
                .findFirst().orElseThrow();
    }

    /** Pod specs of every full workload: the base Deployment and the Knative Service's template. */
    static Stream<PodSpec> podSpecs() {
        Stream<PodSpec> deployments = typed(Deployment.class).map(d -> d.getSpec().getTemplate().getSpec())
                .filter(spec -> spec.getContainers().get(0).getImage() != null);
        Stream<PodSpec> knative = resources().filter(m -> m.apiVersion().equals("serving.knative.dev/v1"))
                .map(m -> KUBERNETES.convertValue(m.tree.path("spec").path("template").path("spec"), PodSpec.class));
        return Stream.concat(deployments, knative);
    }

    /** Every pod spec, including the migration Job's. */
    static Stream<PodSpec> allPodSpecs() {
        return Stream.concat(podSpecs(), typed(Job.class).map(j -> j.getSpec().getTemplate().getSpec())
                .filter(spec -> spec.getContainers().get(0).getImage() != null));
    }

    // ---- what the application reads -----------------------------------------------------------

    static String property(String key) {
        return properties().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError(key + " is not in application.properties"));
    }

    static Stream<String> properties() {
        try {
            return Files.readAllLines(PROPERTIES).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Environment variables the application reads: those named in {@code ${ENV:default}}
     * expressions, and the environment form of every property it configures, references or
     * injects with {@code @ConfigProperty}.
     */
    public static Set<String> environmentVariablesRead() {
        Set<String> names = new TreeSet<>(PLATFORM_ENV);
        List<String> sources = new ArrayList<>();
        properties().forEach(sources::add);
        try (Stream<Path> java = Files.walk(Path.of("src/main/java"))) {
            for (Path file : java.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.add(Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pattern expression = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)");
        Pattern injected = Pattern.compile("@ConfigProperty\\(name = \"([a-z0-9.-]+)\"");
        for (String source : sources) {
            for (Pattern p : List.of(expression, injected)) {
                Matcher m = p.matcher(source);
                while (m.find()) {
                    names.add(environmentForm(m.group(1)));
                }
            }
        }
        properties().map(line -> line.substring(0, line.indexOf('=')).replaceFirst("^%[a-z]+\\.", ""))
                .forEach(key -> names.add(environmentForm(key)));
        return names;
    }

    static String environmentForm(String property) {
        return property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    /** Collects fields the fabric8 model kept as "additional properties": they are not in the schema. */
    static void unknownFields(Object node, String path, List<String> unknown, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> unknownFields(item, path + "[]", unknown, seen));
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> unknownFields(value, path + "{}", unknown, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = getter.invoke(node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(key -> unknown.add(path + "." + key));
                    }
                } else {
                    unknownFields(value, path + "." + getter.getName().substring(3), unknown, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

}
