package dev.wren.mqtt;

/**
 * MQTT 5.0 enhanced authentication (section 4.12), driven by the application: the method named in CONNECT, the
 * data sent with it, the answer to each challenge the server sends in AUTH, and the check of what the server sends
 * when it accepts. The same exchange runs again on {@link MqttClient#reauthenticate()}.
 *
 * <p>An instance serves one client, one exchange at a time; the client calls it on its own thread. Throwing
 * {@link AuthenticationException} from {@link #challenge} or {@link #accepted} ends the connection with
 * {@link DisconnectReason#AUTHENTICATION_FAILED}. {@link ScramSha256Authenticator} is a working example.
 */
public interface Authenticator {

    /**
     * The Authentication Method, such as {@code SCRAM-SHA-256}; the same on every packet of the exchange.
     *
     * @return the method's name
     */
    String method();

    /**
     * The Authentication Data of CONNECT (or of a re-authentication's first AUTH), or null for none; a new exchange.
     *
     * @return the data, or null
     */
    byte[] initialData();

    /**
     * The answer to a server's AUTH with Continue authentication (0x18): the Authentication Data of the client's AUTH.
     *
     * @param serverData the server's Authentication Data, or null when it sent none
     * @return the client's Authentication Data
     * @throws AuthenticationException when the server's data is wrong or the exchange cannot go on
     */
    byte[] challenge(byte[] serverData) throws AuthenticationException;

    /**
     * The server accepted (a CONNACK with success, or an AUTH with success after a re-authentication): checks what
     * it sent, when the method lets the client verify the server.
     *
     * @param serverData the server's Authentication Data, or null when it sent none
     * @throws AuthenticationException when the server's data does not prove it knows the credentials
     */
    void accepted(byte[] serverData) throws AuthenticationException;

    /** The exchange cannot go on: a challenge the authenticator cannot answer, or a server that failed its check. */
    final class AuthenticationException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * An exchange that failed for the reason in {@code message}.
         *
         * @param message why the exchange failed
         */
        public AuthenticationException(String message) {
            super(message);
        }
    }
}
