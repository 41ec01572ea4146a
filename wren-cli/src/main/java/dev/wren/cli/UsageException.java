package dev.wren.cli;

/** A command line that cannot work: reported as one line, exit code 1. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
