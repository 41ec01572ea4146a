/**
 * The client protocol core: a session that outlives connections and a connection per network connection, fed bytes and the current time, with no threads. Not exported by the module: not API, may change.
 */
package dev.wren.mqtt.internal.session;
