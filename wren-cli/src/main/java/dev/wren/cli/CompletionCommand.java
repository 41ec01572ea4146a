package dev.wren.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code wren completion bash}: prints the shell completion script that picocli generates from the commands'
 * own definitions, so it never falls behind them. Works for bash, and for zsh through its bashcompinit.
 *
 * <p>Not thread-safe: one instance per command line.
 */
@Command(name = "completion", description = "Print a shell completion script for wren: "
        + "'source <(wren completion bash)', or save it as /etc/bash_completion.d/wren. zsh: run "
        + "'autoload -U +X bashcompinit && bashcompinit' first.")
final class CompletionCommand implements Callable<Integer> {
    @ParentCommand
    Wren parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh (the same script)", defaultValue = "bash")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new UsageException("completion: unknown shell '" + shell + "': bash or zsh");
        }
        parent.out.print(AutoComplete.bash("wren", spec.root().commandLine()));
        parent.out.flush();
        return 0;
    }
}
