package dev.baton.ops;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Every overlay as a cluster would receive it: rendered with {@code kubectl kustomize} and checked
 * against what a default Knative install admits, the JVM's memory arithmetic (from measured
 * figures), the probe split, the autoscaling and disruption rules, CloudNativePG's durability
 * settings and the network policy. Skipped, saying so, where kubectl is not installed.
 */
class RenderedManifestTests {

    static final List<String> OVERLAYS = List.of("k8s/base", "k8s/overlays/knative", "k8s/overlays/cloudnative-pg");
    static final YAMLMapper YAML = new YAMLMapper();

    // ---- Measured memory (BENCHMARKS.md "Pod memory", 2026-12-01): the packaged jar on JDK 25 with
    // -XX:ActiveProcessorCount=2 -XX:+UseSerialGC -Xmx512m, idle and with 2,000 idle inbox sockets,
    // after a full GC (jcmd GC.run), NMT summary. Each budget is the measurement plus a margin. ----
    /** Outside the heap: 119 MiB committed idle, 159 MiB after 2,000 sockets warmed the JIT and loaded the socket path; C2 arenas peaked at 42 MiB more. */
    static final long NON_HEAP_MIB = 200;
    /** Live heap idle: 19 MiB. */
    static final long BASE_HEAP_MIB = 64;
    /** Live heap per idle inbox socket: (40.3 - 19.0) MiB / 2,000 = 10.9 KiB. */
    static final long HEAP_PER_SOCKET_KIB = 12;
    /** Outside the heap per socket: NMT "Other" (NIO, Netty) grew 0.22 KiB per socket; plus the kernel's socket memory, charged to the pod's cgroup. */
    static final long NATIVE_PER_SOCKET_KIB = 4;
    /** Share of the heap the live set may fill before the collector runs back to back. */
    static final double HEAP_OCCUPANCY = 0.75;

    /** What a default Knative Serving install admits (pkg/apis/serving/fieldmask.go, no feature flag). */
    static final Set<String> KNATIVE_POD = Set.of("containers", "volumes", "serviceAccountName", "imagePullSecrets", "enableServiceLinks",
            "containerConcurrency", "timeoutSeconds", "responseStartTimeoutSeconds", "idleTimeoutSeconds");
    static final Set<String> KNATIVE_CONTAINER = Set.of("name", "args", "command", "env", "envFrom", "workingDir", "image", "imagePullPolicy",
            "livenessProbe", "readinessProbe", "startupProbe", "ports", "resources", "securityContext", "terminationMessagePath",
            "terminationMessagePolicy", "volumeMounts");
    static final Set<String> KNATIVE_SECURITY = Set.of("runAsUser", "runAsNonRoot", "readOnlyRootFilesystem", "capabilities",
            "allowPrivilegeEscalation", "seccompProfile");
    static final Set<String> KNATIVE_VOLUMES = Set.of("name", "secret", "configMap", "projected", "emptyDir");

    static Map<String, List<JsonNode>> rendered;

    @BeforeAll
    static void render() {
        assumeTrue(kubectlPresent(), "kubectl is not installed here: the rendered overlays are not checked");
        rendered = new LinkedHashMap<>();
        OVERLAYS.forEach(overlay -> rendered.put(overlay, kustomize(overlay)));
    }

    @Test
    void shouldAdmitTheKnativeServiceOnADefaultInstall() {
        JsonNode service = one("k8s/overlays/knative", "Service", "serving.knative.dev/v1");
        JsonNode spec = service.path("spec").path("template").path("spec");
        assertEquals(Set.of(), extra(spec, KNATIVE_POD), "pod fields a default Knative refuses");
        assertEquals(1, spec.path("containers").size());
        JsonNode container = spec.path("containers").get(0);
        assertEquals(Set.of(), extra(container, KNATIVE_CONTAINER), "container fields a default Knative refuses");
        assertEquals(Set.of(), extra(container.path("securityContext"), KNATIVE_SECURITY), "securityContext fields");
        assertTrue(container.path("securityContext").path("runAsNonRoot").asBoolean());
        assertFalse(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true));
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertEquals(1, container.path("ports").size(), "Knative routes one port");
        int port = container.path("ports").get(0).path("containerPort").asInt();
        // Knative rewrites a liveness probe to the serving port: one elsewhere would kill every pod.
        JsonNode liveness = container.path("livenessProbe");
        JsonNode livenessPort = liveness.has("httpGet") ? liveness.path("httpGet").path("port") : liveness.path("tcpSocket").path("port");
        assertTrue(livenessPort.isMissingNode() || livenessPort.asInt() == port, "liveness must use the serving port");
        for (JsonNode volume : spec.path("volumes")) {
            assertEquals(Set.of(), extra(volume, KNATIVE_VOLUMES), "volume kinds");
        }
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals(9000, container.path("readinessProbe").path("httpGet").path("port").asInt(), "readiness on the management port");
    }

    @Test
    void shouldApplyNoSecretFromATemplate() {
        rendered.forEach((overlay, objects) -> assertTrue(objects.stream().noneMatch(o -> o.path("kind").asText().equals("Secret")),
                overlay + " renders a Secret: applying it would overwrite the real one"));
    }

    @Test
    void shouldFitTheHeapTheSocketsAndTheRestInTheMemoryLimit() throws IOException {
        String options = jvmOptions();
        double percentage = Double.parseDouble(group(options, "-XX:MaxRAMPercentage=([0-9.]+)"));
        assertEquals("2", group(options, "-XX:ActiveProcessorCount=(\\d+)"), "thread pools sized for the pod, not the node");
        rendered.forEach((overlay, objects) -> objects.stream().filter(RenderedManifestTests::servesTraffic).forEach(workload -> {
            JsonNode spec = podSpec(workload);
            JsonNode container = spec.path("containers").get(0);
            long limit = mebibytes(container.path("resources").path("limits").path("memory").asText());
            assertEquals(limit, mebibytes(container.path("resources").path("requests").path("memory").asText()),
                    overlay + ": request = limit, so the scheduler reserves what the JVM may use");
            long tmpfs = 0;
            for (JsonNode volume : spec.path("volumes")) {
                if (volume.path("emptyDir").path("medium").asText().equals("Memory")) {
                    tmpfs += mebibytes(volume.path("emptyDir").path("sizeLimit").asText());
                }
            }
            long sockets = socketCap(overlay, workload);
            long heap = (long) (limit * percentage / 100);
            long liveHeap = BASE_HEAP_MIB + sockets * HEAP_PER_SOCKET_KIB / 1024;
            long outsideHeap = NON_HEAP_MIB + sockets * NATIVE_PER_SOCKET_KIB / 1024 + tmpfs;
            String sums = String.format("%s: limit %d MiB, heap %d MiB (%.0f %%), live heap at %d sockets %d MiB, outside the heap %d MiB",
                    overlay, limit, heap, percentage, sockets, liveHeap, outsideHeap);
            assertTrue(liveHeap <= heap * HEAP_OCCUPANCY, sums + ": the sockets do not fit in the heap");
            assertTrue(heap + outsideHeap <= limit, sums + ": the JVM outgrows the limit (OOM kill)");
        }));
    }

    @Test
    void shouldStartOnTheProcessAndBeReadyOnTheDatabase() {
        JsonNode container = podSpec(one("k8s/base", "Deployment", "apps/v1")).path("containers").get(0);
        assertProbe(container.path("startupProbe"), "/q/health/started");
        assertProbe(container.path("livenessProbe"), "/q/health/live");
        assertProbe(container.path("readinessProbe"), "/q/health/ready");
        boolean managementPort = false;
        for (JsonNode port : container.path("ports")) {
            managementPort |= port.path("name").asText().equals("management") && port.path("containerPort").asInt() == 9000;
        }
        assertTrue(managementPort, "the probes' named port");
    }

    @Test
    void shouldLeaveTheReplicaCountToTheAutoscaler() {
        JsonNode deployment = one("k8s/base", "Deployment", "apps/v1");
        assertTrue(deployment.path("spec").path("replicas").isMissingNode(), "a fixed replicas resets the HPA on every apply");
        JsonNode hpa = one("k8s/base", "HorizontalPodAutoscaler", "autoscaling/v2");
        List<String> metrics = new ArrayList<>();
        hpa.path("spec").path("metrics").forEach(m -> metrics.add(m.path("type").asText() + ":"
                + m.path("resource").path("name").asText(m.path("pods").path("metric").path("name").asText())));
        assertTrue(metrics.containsAll(List.of("Resource:cpu", "Pods:baton_sockets_open")), "scale on CPU and on sockets: " + metrics);
        long target = socketsTarget(hpa);
        assertTrue(target < socketCap("k8s/base", deployment), "scale out before a pod reaches its socket cap");
        assertFalse(hpa.path("spec").path("behavior").path("scaleDown").path("policies").isEmpty(), "a scale-down policy");
        JsonNode pdb = one("k8s/base", "PodDisruptionBudget", "policy/v1");
        assertEquals(1, pdb.path("spec").path("maxUnavailable").asInt(), "a drain takes one pod at a time");
    }

    @Test
    void shouldReplicateSynchronouslyAndBackUpThePostgresCluster() {
        JsonNode cluster = one("k8s/overlays/cloudnative-pg", "Cluster", "postgresql.cnpg.io/v1").path("spec");
        JsonNode synchronous = cluster.path("postgresql").path("synchronous");
        assertEquals("any", synchronous.path("method").asText());
        assertEquals(1, synchronous.path("number").asInt());
        assertEquals("required", synchronous.path("dataDurability").asText("required"), "no commit acknowledged before a standby has it");
        assertTrue(cluster.path("instances").asInt() >= 3, "a synchronous standby and a spare");
        assertFalse(cluster.path("backup").path("barmanObjectStore").path("destinationPath").asText().isEmpty(), "backups to an object store");
        one("k8s/overlays/cloudnative-pg", "ScheduledBackup", "postgresql.cnpg.io/v1");
        assertFalse(cluster.path("resources").path("limits").path("memory").isMissingNode(), "resources");
        assertTrue(cluster.path("imageName").asText().matches(".*(@sha256:[0-9a-f]{64}|:\\d+\\.\\d+[^:]*)"), "a pinned image");

        // Baton verifies the server with the cluster's CA, on every connection (the Job's too).
        for (String kind : List.of("Deployment", "Job")) {
            JsonNode container = podSpec(one("k8s/overlays/cloudnative-pg", kind, "")).path("containers").get(0);
            Map<String, String> env = new HashMap<>();
            container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
            assertEquals("verify-full", env.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE"), kind);
            assertTrue(env.getOrDefault("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS", "").endsWith("ca.crt"), kind);
        }
    }

    @Test
    void shouldPinImagesRestrictTrafficAndKeepTheKeyFromTheJob() {
        rendered.forEach((overlay, objects) -> {
            assertTrue(objects.stream().anyMatch(o -> o.path("kind").asText().equals("NetworkPolicy")), overlay + ": NetworkPolicy");
            objects.stream().filter(o -> !podSpec(o).isMissingNode()).forEach(o -> podSpec(o).path("containers").forEach(c -> assertTrue(
                    c.path("image").asText().contains("@sha256:") || c.path("imagePullPolicy").asText().equals("Always"),
                    overlay + ": a movable tag must be pulled, not taken from the node's cache")));
        });
        JsonNode job = podSpec(one("k8s/base", "Job", "batch/v1"));
        job.path("volumes").forEach(v -> assertTrue(v.path("secret").isMissingNode(), "the migration Job mounts no secret: " + v));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void assertProbe(JsonNode probe, String path) {
        assertEquals(path, probe.path("httpGet").path("path").asText());
        assertEquals("management", probe.path("httpGet").path("port").asText(), path + " on the management port");
    }

    /** The HPA's sockets target per pod. */
    private static long socketsTarget(JsonNode hpa) {
        for (JsonNode m : hpa.path("spec").path("metrics")) {
            if (m.path("type").asText().equals("Pods")) {
                return Quantity.getAmountInBytes(new Quantity(m.path("pods").path("target").path("averageValue").asText())).longValue();
            }
        }
        throw new AssertionError("no sockets target");
    }

    /** The sockets a workload can hold: Knative's containerConcurrency, else BATON_MAX_CONNECTIONS. */
    private static long socketCap(String overlay, JsonNode workload) {
        long configured = Long.parseLong(rendered.get(overlay).stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.path("metadata").path("name").asText().equals("baton-config")).findFirst().orElseThrow()
                .path("data").path("BATON_MAX_CONNECTIONS").asText(defaultCap()));
        JsonNode concurrency = workload.path("spec").path("template").path("spec").path("containerConcurrency");
        if (!concurrency.isMissingNode()) {
            assertTrue(concurrency.asLong() <= configured, overlay + ": Knative admits more sockets than the pod accepts");
            return concurrency.asLong();
        }
        return configured;
    }

    private static String defaultCap() {
        return group(String.join("\n", KubernetesManifestTests.properties().toList()),
                "quarkus\\.http\\.limits\\.max-connections=\\$\\{BATON_MAX_CONNECTIONS:(\\d+)}");
    }

    private static boolean servesTraffic(JsonNode o) {
        return o.path("kind").asText().equals("Deployment") || o.path("apiVersion").asText().startsWith("serving.knative.dev");
    }

    private static JsonNode podSpec(JsonNode o) {
        return o.path("spec").path("template").path("spec");
    }

    private static JsonNode one(String overlay, String kind, String apiVersion) {
        return rendered.get(overlay).stream().filter(o -> o.path("kind").asText().equals(kind)
                && (apiVersion.isEmpty() || o.path("apiVersion").asText().equals(apiVersion))).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " renders no " + kind));
    }

    private static Set<String> extra(JsonNode node, Set<String> allowed) {
        Set<String> extra = new HashSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                extra.add(name);
            }
        }
        return extra;
    }

    private static long mebibytes(String quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity)).longValue() / (1024 * 1024);
    }

    static String jvmOptions() throws IOException {
        return group(Files.readString(ContainerImageTests.DOCKERFILE), "(?m)^ENV JAVA_TOOL_OPTIONS=\"(.*)\"$");
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex);
        return m.group(1);
    }

    private static boolean kubectlPresent() {
        try {
            return new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<JsonNode> kustomize(String overlay) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", overlay).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "kubectl kustomize " + overlay + " failed");
            List<JsonNode> objects = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(out)) {
                YAML.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
