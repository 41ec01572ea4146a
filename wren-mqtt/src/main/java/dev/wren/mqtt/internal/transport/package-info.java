/**
 * Byte transports that know nothing of MQTT. Not exported by the module: not API, may change.
 */
package dev.wren.mqtt.internal.transport;
