package dev.wren.mqtt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every public type and member of the public API ({@code dev.wren.mqtt}, {@code dev.wren.mqtt.async}) has a
 * Javadoc comment with its {@code @param}, {@code @return} and {@code @throws} tags: the JDK's javadoc run over
 * their sources with doclint's "missing" group, each warning it reports a failure. A probe class without comments,
 * run through the same check, shows that the check reports what it should.
 */
class ApiJavadocTest {
    private static final Path SOURCES = Path.of("src", "main", "java");

    @Test
    void everyPublicTypeAndMemberOfTheApiHasACommentAndItsTags() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String pkg : List.of("dev/wren/mqtt", "dev/wren/mqtt/async")) {
            try (Stream<Path> s = Files.list(SOURCES.resolve(pkg))) {
                s.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(40);
        assertThat(doclintMissing(files, SOURCES)).as("public API without a comment or a tag").isEmpty();

        Path probeRoot = Files.createTempDirectory("wren-javadoc-probe");
        Path probe = probeRoot.resolve("probe").resolve("Probe.java");
        Files.createDirectories(probe.getParent());
        Files.writeString(probe, "package probe;\n/** A probe. */\npublic class Probe {\n"
                + "    /** Twice. */\n    public int twice(int n) { return 2 * n; }\n"
                + "    public void bare() { }\n}\n");
        assertThat(doclintMissing(List.of(probe), probeRoot)).as("the check reports what the probe lacks")
                .anyMatch(l -> l.contains("no comment"))
                .anyMatch(l -> l.contains("no @param for n"))
                .anyMatch(l -> l.contains("no @return"));
    }

    /** The warnings and errors of the JDK's javadoc with doclint's "missing" group over {@code files}. */
    private static List<String> doclintMissing(List<Path> files, Path sourcePath) throws IOException {
        Path out = Files.createTempDirectory("wren-javadoc-check");
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            DocumentationTool.DocumentationTask task = javadoc.getTask(new StringWriter(), fm, diagnostics, null,
                    List.of("-quiet", "-Xdoclint:missing", "-Xmaxwarns", "100000", "-sourcepath", sourcePath.toString(),
                            "-d", out.toString()), units);
            task.call();
        }
        List<String> reports = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.ERROR) {
                String where = d.getSource() == null ? "?" : d.getSource().getName();
                reports.add(where + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        return reports;
    }
}
