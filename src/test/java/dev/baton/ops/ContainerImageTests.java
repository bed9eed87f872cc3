package dev.baton.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The JVM image (no Docker engine here to build it) agrees with what is measured and deployed: the
 * cold-start script runs the image's JVM command and options, the training script the image uses
 * is in the build context, the user is the one the manifests expect; both images build from pinned
 * base images and README tags them as their Dockerfiles do.
 */
class ContainerImageTests {

    static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");
    static final Path NATIVE_DOCKERFILE = Path.of("src/main/docker/Dockerfile.native");
    static final Path COLD_START = Path.of("src/bench/cold-start.sh");

    @Test
    void shouldMeasureTheImagesJvmCommand() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String script = Files.readString(COLD_START);
        List<String> entrypoint = Arrays.stream(group(dockerfile, "(?m)^ENTRYPOINT \\[(.*)]$").split(","))
                .map(s -> s.trim().replaceAll("^\"|\"$", "")).toList();
        String measured = group(script, "(?m)^\\s*aot-jdk25\\)\\s*echo \"(.*)\" ;;$");
        for (String option : entrypoint.stream().filter(o -> o.startsWith("-XX:")).toList()) {
            String expected = option.startsWith("-XX:AOTCache=") ? "-XX:AOTCache=" : option;
            assertTrue(measured.contains(expected), "cold-start.sh's AOT variant lacks the image's " + option + ": " + measured);
        }
        assertTrue(script.contains("s/^ENV JAVA_TOOL_OPTIONS=") && dockerfile.contains("ENV JAVA_TOOL_OPTIONS=\""),
                "cold-start.sh takes JAVA_TOOL_OPTIONS from the Dockerfile");
        assertTrue(script.contains("src/main/docker/aot-training.sh") && dockerfile.contains("aot-training.sh"),
                "the image and the script record the cache with the same training run");
    }

    @Test
    void shouldShipTheTrainingScriptAndRunAsTheManifestsUser() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String ignore = Files.readString(Path.of(".dockerignore"));
        assertTrue(ignore.lines().anyMatch(l -> l.trim().equals("!src/main/")), ".dockerignore must send src/main (training script)");
        assertTrue(Files.isExecutable(Path.of("src/main/docker/aot-training.sh")));
        assertEquals("185", group(dockerfile, "(?m)^USER (\\d+)$"));
        String deployment = Files.readString(Path.of("k8s/base/deployment.yaml"));
        assertEquals("185", group(deployment, "runAsUser: (\\d+)"));
    }

    @Test
    void shouldRecordTheAotCacheUnderThePodsLimitAndFailTheBuildIfUnusable() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String training = dockerfile.substring(dockerfile.indexOf(" AS training"), dockerfile.lastIndexOf("\nFROM "));
        String podMemory = group(training, "(?m)^ARG POD_MEMORY=(\\d+)g$");
        assertTrue(training.contains("JDK_JAVA_OPTIONS=\"-XX:MaxRAM=$POD_MEMORY\""), "the training run sees the pod's memory");
        assertTrue(training.contains("-XX:MaxRAM=\"$POD_MEMORY\" -XX:AOTMode=on -XX:AOTCache=/deployments/app.aot"),
                "the build fails when a pod would refuse the cache");
        String deployment = Files.readString(Path.of("k8s/base/deployment.yaml"));
        assertEquals(podMemory + "Gi", group(deployment, "limits:\\s+(?:cpu: \\S+\\s+)?memory: (\\S+)"), "POD_MEMORY is the pods' limit");
    }

    @Test
    void shouldPinBaseImagesAndKeepToolsAndWritableCodeOutOfTheImage() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertTrue(group(dockerfile, "(?m)^ARG TEMURIN=(\\S+)$").matches("\\d+\\.\\d+\\.\\d+_\\d+"), "a full JDK version, not a floating tag");
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        while (from.find()) {
            String image = from.group(1);
            assertTrue(image.contains("${TEMURIN}") || image.equals("runtime"), "floating base image " + image);
        }
        String last = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertFalse(last.contains("apt-get"), "the final image installs nothing (curl, openssl, PostgreSQL stay in the training stage)");
        String runtime = dockerfile.substring(dockerfile.indexOf(" AS runtime"), dockerfile.indexOf(" AS training"));
        assertTrue(runtime.contains("COPY --from=build --chown=0:0 --chmod=a=rX"), "the application files are not the app user's to change");
        assertTrue(last.contains("--chown=0:0 --chmod=a=r /deployments/app.aot"), "nor is the cache");
    }

    @Test
    void shouldPinTheNativeImagesBaseImagesAndKeepItsExecutableReadOnly() throws IOException {
        String dockerfile = Files.readString(NATIVE_DOCKERFILE);
        assertTrue(group(dockerfile, "(?m)^ARG MANDREL=(\\S+)$").matches("\\d+\\.\\d+\\.\\d+\\.\\d+-Final-java\\d+"),
                "an exact Mandrel release, not jdk-25");
        assertTrue(group(dockerfile, "(?m)^ARG MICRO=(\\S+)$").matches("[\\w.-]+@sha256:[0-9a-f]{64}"), "the runtime image by digest");
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        while (from.find()) {
            assertTrue(from.group(1).endsWith(":${MANDREL}") || from.group(1).endsWith(":${MICRO}"), "floating base image " + from.group(1));
        }
        String copy = group(dockerfile, "(?m)^(COPY --from=build .*-runner .*)$");
        assertTrue(copy.contains("--chown=0:0") && copy.matches(".*--chmod=0?5[05][05] .*"), "the executable is not the app user's to change: " + copy);
    }

    @Test
    void shouldTagTheImagesInTheReadmeAsTheDockerfilesSay() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (Path file : List.of(DOCKERFILE, NATIVE_DOCKERFILE)) {
            String build = group(Files.readString(file), "(?m)^#\\s+(docker build -f " + file.toString().replace(".", "\\.") + " -t \\S+ \\.)");
            String tag = group(build, "-t (\\S+)");
            String readmeBuild = group(readme, "(docker build -f " + file.toString().replace(".", "\\.") + "\\s+-t \\S+)");
            assertEquals(tag, group(readmeBuild, "-t (\\S+)"), "README and " + file + " name the same tag");
        }
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex);
        return m.group(1);
    }
}
