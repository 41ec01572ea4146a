/**
 * The checks the configuration builders share. Not exported by the module: not API, may change.
 */
package dev.wren.mqtt.internal.config;
