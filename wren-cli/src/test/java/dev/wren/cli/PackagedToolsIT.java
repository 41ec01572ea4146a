package dev.wren.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wren.testing.Mosquitto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools as they are installed: {@code wren.jar} as Maven packaged it, run by {@code bin/wren}, each in a
 * process of its own (Failsafe runs this after the package phase). What the unit tests cannot see from the build's
 * classes: that the demo broker sits in one nested jar and still starts, that {@code pub} opens none of it, and
 * that the launcher builds a class-data archive once, starts from it afterwards, replaces it when the jar changes
 * and ignores one it cannot use without a word.
 */
class PackagedToolsIT {
    private static final Path JAR = Path.of("target", "wren.jar").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("bin", "wren").toAbsolutePath();
    private static final String JAVA_HOME = System.getProperty("java.home");
    private static final Duration ARCHIVE_BUILT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", JAVA_HOME);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        Process p = pb.start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Result java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(JAVA_HOME, "bin", "java").toString()));
        Collections.addAll(command, args);
        return run(Map.of(), command.toArray(String[]::new));
    }

    private Result launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        Collections.addAll(command, args);
        return run(env, command.toArray(String[]::new));
    }

    private static List<Path> archives(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).sorted().toList();
        }
    }

    /** Waits for the background build: its lock gone and exactly one archive (the one wanted) there. */
    private static List<Path> archivesOnceBuilt(Path cache) throws Exception {
        Instant end = Instant.now().plus(ARCHIVE_BUILT);
        while (Instant.now().isBefore(end)) {
            boolean building;
            try (Stream<Path> s = Files.list(cache)) {
                building = s.anyMatch(p -> p.getFileName().toString().endsWith(".lock"));
            }
            if (!building && !archives(cache).isEmpty()) {
                return archives(cache);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no class-data archive in " + cache + " after " + ARCHIVE_BUILT);
    }

    @Test
    void theJarHoldsTheDemoBrokerAsOneNestedJarAndFewEntriesOfItsOwn() throws IOException {
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            assertThat(jar.getEntry("dev/wren/cli/" + EmbeddedBroker.NESTED)).isNotNull();
            assertThat(jar.stream().map(e -> e.getName()))
                    .noneMatch(n -> n.startsWith("io/netty/") || n.startsWith("io/moquette/")
                            || n.startsWith("dev/wren/cli/broker/"));
            // Moquette, Netty and the rest are over 5,000 entries; the tools, the client and picocli about 500
            assertThat(jar.size()).isLessThan(1_000);
        }
    }

    @Test
    void theDemoStartsItsBrokerFromTheNestedJar() throws Exception {
        Result r = java("-jar", JAR.toString(), "demo", "-n", "1");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("started Moquette").contains("OK: 2 of 2 QoS 1/2 messages acknowledged");
    }

    @Test
    void pubLoadsNoneOfTheDemoBrokersClasses() throws Exception {
        Mosquitto broker = Mosquitto.shared();
        Result r = java("-Xlog:class+load", "-jar", JAR.toString(), "pub", "-h", broker.host(), "-p",
                String.valueOf(broker.port()), "-t", "packaged/pub", "-m", "x");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("dev.wren.cli.PubCommand").doesNotContain("io.moquette")
                .doesNotContain("io.netty").doesNotContain("MoquetteBroker");
    }

    @Test
    void theLauncherBuildsAClassDataArchiveOnceAndStartsFromItAfterwards() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("WREN_CACHE", cache.toString());

        Result first = launcher(env, "--version");
        assertThat(first.exit()).isZero();
        assertThat(first.out()).startsWith("wren ");
        assertThat(first.err()).isEmpty();
        List<Path> built = archivesOnceBuilt(cache);
        assertThat(built).hasSize(1);

        Result next = launcher(Map.of("WREN_CACHE", cache.toString(), "JAVA_OPTS", "-Xlog:class+load"),
                "--version");
        assertThat(next.exit()).isZero();
        assertThat(next.out()).contains("dev.wren.cli.Wren source: shared objects file")
                .contains("picocli.CommandLine source: shared objects file");
        assertThat(archives(cache)).as("nothing rebuilt").isEqualTo(built);

        Result off = launcher(Map.of("WREN_CACHE", cache.toString(), "WREN_CDS", "0", "JAVA_OPTS",
                "-Xlog:class+load"), "--version");
        assertThat(off.out()).contains("dev.wren.cli.Wren source: file:")
                .doesNotContain("dev.wren.cli.Wren source: shared objects file");
    }

    @Test
    void aNewerJarGetsANewArchiveThatReplacesTheOld() throws Exception {
        Path jar = Files.copy(JAR, dir.resolve("wren.jar"));
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("WREN_CACHE", cache.toString(), "WREN_JAR", jar.toString());
        assertThat(launcher(env, "--version").exit()).isZero();
        List<Path> before = archivesOnceBuilt(cache);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(120)));
        assertThat(launcher(env, "--version").exit()).isZero();
        Instant end = Instant.now().plus(ARCHIVE_BUILT);
        while (archives(cache).equals(before) && Instant.now().isBefore(end)) {
            Thread.sleep(100);
        }
        List<Path> after = archivesOnceBuilt(cache);
        assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);

        Result r = launcher(Map.of("WREN_CACHE", cache.toString(), "WREN_JAR", jar.toString(), "JAVA_OPTS",
                "-Xlog:class+load"), "--version");
        assertThat(r.out()).contains("dev.wren.cli.Wren source: shared objects file");
    }

    @Test
    void anArchiveTheJvmCannotUseIsIgnoredWithoutAWord() throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("WREN_CACHE", cache.toString());
        assertThat(launcher(env, "--version").exit()).isZero();
        Path archive = archivesOnceBuilt(cache).get(0);
        Files.delete(archive);
        Files.writeString(archive, "not an archive", StandardCharsets.US_ASCII);
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().plusSeconds(120)));

        Result r = launcher(env, "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("wren ");
        assertThat(r.err()).isEmpty();
    }
}
