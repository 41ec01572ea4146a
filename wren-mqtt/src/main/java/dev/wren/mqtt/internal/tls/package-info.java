/**
 * TLS over any byte transport, SSL contexts and PEM files. Not exported by the module: not API, may change.
 */
package dev.wren.mqtt.internal.tls;
