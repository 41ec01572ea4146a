/**
 * Wren's command-line tools: {@code wren pub}, {@code wren sub} and {@code wren demo}. A client of the library
 * like any other: it reads only what {@code dev.wren.mqtt} exports.
 */
module dev.wren.cli {
    requires dev.wren.mqtt;
    requires info.picocli;
    requires java.logging; // to quiet the library's lifecycle log in the tools
    requires moquette.broker;
    requires wren.examples;
    opens dev.wren.cli to info.picocli;
}
