package dev.wren.mqtt.internal.codec;

/**
 * Checks for topic names and topic filters (MQTT 3.1.1 sections 4.7 and 1.5.3), used when the application
 * hands the client a topic, and topic matching.
 *
 * <p>Stateless and thread-safe.
 */
public final class Topics {
    private Topics() {
    }

    /**
     * Checks a topic name for PUBLISH or a will: 1..65535 UTF-8 bytes, no wildcards, no U+0000.
     *
     * @return the UTF-8 length
     * @throws IllegalArgumentException naming {@code field} and what is wrong
     */
    public static int checkName(String field, String topic) {
        int len = checkString(field, topic);
        if (len == 0) {
            throw new IllegalArgumentException(field + " must not be empty [MQTT-4.7.3-1]");
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                throw new IllegalArgumentException(field + " must not contain wildcard '" + c + "' [MQTT-3.3.2-2]: " + topic);
            }
        }
        return len;
    }

    /**
     * Checks a topic filter for SUBSCRIBE or UNSUBSCRIBE: 1..65535 UTF-8 bytes, {@code #} only last and alone in its
     * level, {@code +} alone in its level, no U+0000.
     *
     * @return the UTF-8 length
     * @throws IllegalArgumentException naming {@code field} and what is wrong
     */
    public static int checkFilter(String field, String filter) {
        int len = checkString(field, filter);
        String problem = filterProblem(filter);
        if (problem != null) {
            throw new IllegalArgumentException(field + " " + problem + ": " + filter);
        }
        return len;
    }

    /** The prefix of a shared subscription's filter: {@code $share/{ShareName}/{filter}}. */
    public static final String SHARE_PREFIX = "$share/";

    /**
     * What is wrong with a topic filter's wildcards, or with a shared subscription's share name, or null if
     * nothing. A filter that starts with {@code $share/} is a shared subscription: a share name of at least one
     * character without {@code /}, {@code +} or {@code #}, a {@code /}, then a valid topic filter
     * ([MQTT-4.8.2-1], [MQTT-4.8.2-2]; MQTT 5.0, which brokers such as Mosquitto also accept over 3.1.1).
     */
    public static String filterProblem(String filter) {
        if (filter.isEmpty()) {
            return "must not be empty [MQTT-4.7.3-1]";
        }
        if (filter.startsWith(SHARE_PREFIX)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            String shareName = filter.substring(SHARE_PREFIX.length(), slash < 0 ? filter.length() : slash);
            if (shareName.isEmpty()) {
                return "is a shared subscription with an empty share name [MQTT-4.8.2-1]";
            }
            if (shareName.indexOf('+') >= 0 || shareName.indexOf('#') >= 0) {
                return "is a shared subscription whose share name '" + shareName + "' contains a wildcard "
                        + "[MQTT-4.8.2-2]";
            }
            if (slash < 0 || slash == filter.length() - 1) {
                return "is a shared subscription with no topic filter after its share name '" + shareName
                        + "/' [MQTT-4.8.2-2]";
            }
            return wildcardProblem(filter.substring(slash + 1));
        }
        return wildcardProblem(filter);
    }

    /**
     * The part of a filter that topic names are matched against: the filter itself, or for a shared subscription
     * ({@code $share/{ShareName}/{filter}}) what follows the share name.
     */
    public static String matchedPart(String filter) {
        if (filter.startsWith(SHARE_PREFIX)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            if (slash > 0) {
                return filter.substring(slash + 1);
            }
        }
        return filter;
    }

    private static String wildcardProblem(String filter) {
        int n = filter.length();
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
            boolean levelEnd = i == n - 1 || filter.charAt(i + 1) == '/';
            if (c == '#') {
                if (!levelStart || i != n - 1) {
                    return "may only have '#' alone in the last level [MQTT-4.7.1-2]";
                }
            } else if (c == '+') {
                if (!levelStart || !levelEnd) {
                    return "may only have '+' alone in a level [MQTT-4.7.1-3]";
                }
            }
        }
        return null;
    }

    /**
     * Whether a topic name matches a (valid) topic filter, by the rules of section 4.7: a filter that starts with a
     * wildcard matches no topic that starts with {@code $} [MQTT-4.7.2-1], and a shared subscription's
     * {@code $share/{ShareName}/} prefix is not part of what is matched.
     */
    public static boolean matches(String filter, String topic) {
        filter = matchedPart(filter);
        if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false; // [MQTT-4.7.2-1]
        }
        int f = 0;
        int t = 0;
        int fn = filter.length();
        int tn = topic.length();
        while (f < fn) {
            char fc = filter.charAt(f);
            if (fc == '#') {
                return true;
            }
            if (fc == '+') {
                while (t < tn && topic.charAt(t) != '/') {
                    t++;
                }
                f++;
            } else {
                if (t >= tn || topic.charAt(t) != fc) {
                    // "a/#" also matches "a"
                    return t == tn && fc == '/' && f + 2 == fn && filter.charAt(f + 1) == '#';
                }
                f++;
                t++;
            }
        }
        return t == tn;
    }

    private static int checkString(String field, String s) {
        if (s == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        int len;
        try {
            len = Utf8.encodedLength(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not a valid MQTT string: " + e.getMessage());
        }
        if (len > Utf8.MAX_STRING_BYTES) {
            throw new IllegalArgumentException(field + " is " + len + " bytes in UTF-8; at most 65535 allowed");
        }
        return len;
    }
}
