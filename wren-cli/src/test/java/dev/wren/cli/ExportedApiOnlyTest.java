package dev.wren.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tools are a client of the library like any other. The compiler enforces it (wren-cli is a module that
 * requires {@code dev.wren.mqtt}: an internal import is "not visible"); this checks the built classes as well, so
 * that a build that loses the module descriptor still fails: no class of theirs refers to a package that
 * {@code dev.wren.mqtt}'s module-info does not export (each reference to a class stands in the class file's constant
 * pool as its internal name, so a reference to {@code dev/wren/mqtt/internal/...} shows there).
 */
class ExportedApiOnlyTest {

    @Test
    void noClassOfTheToolsRefersToTheLibrarysInternalPackages() throws IOException, Exception {
        Path classes = Path.of(Wren.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".class")).toList();
            assertThat(all).as("the tools' classes").hasSizeGreaterThan(5);
            offenders = all.stream().filter(ExportedApiOnlyTest::refersToInternals).toList();
        }
        assertThat(offenders).isEmpty();
    }

    private static boolean refersToInternals(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
                    .contains("dev/wren/mqtt/internal/");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
