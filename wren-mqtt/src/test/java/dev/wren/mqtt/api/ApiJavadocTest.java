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
 * Javadoc comment: the JDK's javadoc run over their sources with doclint's "missing" group, and each "no comment"
 * it reports is a failure. (The build's own javadoc run leaves that group out, so that a sentence may say what the
 * parameters are instead of {@code @param} tags.)
 */
class ApiJavadocTest {
    private static final Path SOURCES = Path.of("src", "main", "java");

    @Test
    void everyPublicTypeAndMemberOfTheApiHasAComment() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String pkg : List.of("dev/wren/mqtt", "dev/wren/mqtt/async")) {
            try (Stream<Path> s = Files.list(SOURCES.resolve(pkg))) {
                s.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(40);
        Path out = Files.createTempDirectory("wren-javadoc-check");
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javadoc.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            DocumentationTool.DocumentationTask task = javadoc.getTask(new StringWriter(), fm, diagnostics, null,
                    List.of("-quiet", "-Xdoclint:missing", "-Xmaxwarns", "100000", "-sourcepath", SOURCES.toString(),
                            "-d", out.toString()), units);
            task.call();
        }
        List<String> uncommented = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.ERROR)
                .filter(d -> d.getMessage(Locale.ROOT).contains("no comment"))
                .map(d -> d.getSource().getName() + ":" + d.getLineNumber())
                .toList();
        assertThat(uncommented).as("public API without a Javadoc comment").isEmpty();
        long checked = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getMessage(Locale.ROOT).contains("no @param")).count();
        assertThat(checked).as("doclint ran (it reports the @param tags this build does not require)").isPositive();
    }
}
