/**
 * The poll-driven client's I/O: the bytes between its protocol core and its transport. Not exported by the module: not API, may change.
 */
package dev.wren.mqtt.internal.client;
