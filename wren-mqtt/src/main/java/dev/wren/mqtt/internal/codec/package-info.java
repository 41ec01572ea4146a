/**
 * The wire codec: bytes to packet values and back, with no I/O and no clock; the only code that writes packet bytes. Not exported by the module: not API, may change.
 */
package dev.wren.mqtt.internal.codec;
