package dev.wren.mqtt;

import java.util.Objects;

/**
 * An MQTT 5.0 user property: a name and a value, both UTF-8 strings, that any packet may carry any number of times;
 * their order is kept (MQTT 5.0 section 3.3.2.3.7). A name may appear more than once.
 *
 * @param name  the name
 * @param value the value
 */
public record UserProperty(String name, String value) {
    /**
     * Checks and keeps the values.
     *
     * @param name the property's name
     * @param value the property's value
     */
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
