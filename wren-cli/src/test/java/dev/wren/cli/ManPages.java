package dev.wren.cli;

import java.io.File;
import java.io.IOException;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the manual pages of {@code wren} and each of its commands as AsciiDoc, from the commands' own
 * definitions, with picocli's man-page generator. The build runs it before packaging
 * ({@code target/generated-docs}) and turns the AsciiDoc into {@code target/man/*.1} with Asciidoctor.
 * It lives in the test sources so that picocli-codegen stays out of {@code wren.jar}.
 */
public final class ManPages {
    private ManPages() {
    }

    /** The command tree as {@code wren} runs it. */
    static CommandLine commandLine() {
        return new CommandLine(new Wren(System.out, System.err, System.in));
    }

    /** Writes {@code wren.adoc}, {@code wren-pub.adoc} and the others into this directory; returns the exit code. */
    static int write(File dir) throws IOException {
        return ManPageGenerator.generateManPage(dir, null, new boolean[0], true, commandLine().getCommandSpec());
    }

    /** {@code ManPages DIR}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT_DIRECTORY");
        }
        int code = write(new File(args[0]));
        if (code != 0) {
            throw new IllegalStateException("picocli's man-page generator failed with exit code " + code);
        }
    }
}
