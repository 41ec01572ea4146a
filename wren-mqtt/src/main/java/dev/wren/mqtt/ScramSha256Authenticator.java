package dev.wren.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as an MQTT 5.0 {@link Authenticator}, with the JDK's own PBKDF2 and HMAC: the
 * client-first message in CONNECT, the client-final message (with its proof) as the answer to the server-first one,
 * and the server's signature checked when the server accepts, so that the client knows the server holds the
 * password's keys too. No channel binding ({@code n,,}).
 *
 * <p>Not thread-safe: one exchange at a time, on the client's thread.
 */
public final class ScramSha256Authenticator implements Authenticator {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String GS2_HEADER = "n,,";

    private final String user;
    private final char[] password;
    private final Supplier<String> nonces;

    private String clientFirstBare;
    private byte[] expectedServerSignature;

    /**
     * For {@code user} with {@code password}, with random client nonces.
     *
     * @param user the user name
     * @param password the password
     */
    public ScramSha256Authenticator(String user, char[] password) {
        this(user, password, () -> {
            byte[] b = new byte[18];
            RANDOM.nextBytes(b);
            return Base64.getEncoder().withoutPadding().encodeToString(b);
        });
    }

    /**
     * For {@code user} with {@code password}, with client nonces from {@code nonces} (for tests with fixed vectors).
     *
     * @param user the user name
     * @param password the password
     * @param nonces where client nonces come from
     */
    public ScramSha256Authenticator(String user, char[] password, Supplier<String> nonces) {
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password").clone();
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    @Override
    public String method() {
        return "SCRAM-SHA-256";
    }

    @Override
    public byte[] initialData() {
        String nonce = nonces.get();
        clientFirstBare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
        expectedServerSignature = null;
        return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] challenge(byte[] serverData) throws AuthenticationException {
        if (clientFirstBare == null || serverData == null) {
            throw new AuthenticationException("SCRAM-SHA-256: a challenge without the server-first message");
        }
        String serverFirst = new String(serverData, StandardCharsets.UTF_8);
        String nonce = attribute(serverFirst, 'r');
        String salt = attribute(serverFirst, 's');
        String iterations = attribute(serverFirst, 'i');
        String clientNonce = attribute(clientFirstBare, 'r');
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new AuthenticationException("SCRAM-SHA-256: the server's nonce does not extend the client's");
        }
        int i;
        try {
            i = Integer.parseInt(iterations);
        } catch (NumberFormatException e) {
            throw new AuthenticationException("SCRAM-SHA-256: iteration count " + iterations + " is not a number");
        }
        if (i < 1) {
            throw new AuthenticationException("SCRAM-SHA-256: iteration count " + i);
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        try {
            byte[] salted = pbkdf2(password, Base64.getDecoder().decode(salt), i);
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int k = 0; k < proof.length; k++) {
                proof[k] = (byte) (clientKey[k] ^ signature[k]);
            }
            expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("SCRAM-SHA-256: the salt is not base64");
        } catch (GeneralSecurityException e) {
            throw new AuthenticationException("SCRAM-SHA-256: " + e);
        }
    }

    @Override
    public void accepted(byte[] serverData) throws AuthenticationException {
        if (expectedServerSignature == null) {
            throw new AuthenticationException("SCRAM-SHA-256: accepted before the exchange was complete");
        }
        if (serverData == null) {
            throw new AuthenticationException("SCRAM-SHA-256: the server did not send its signature");
        }
        String serverFinal = new String(serverData, StandardCharsets.UTF_8);
        if (serverFinal.startsWith("e=")) {
            throw new AuthenticationException("SCRAM-SHA-256: the server says " + serverFinal.substring(2));
        }
        byte[] got;
        try {
            got = Base64.getDecoder().decode(attribute(serverFinal, 'v'));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("SCRAM-SHA-256: the server's signature is not base64");
        }
        if (!MessageDigest.isEqual(got, expectedServerSignature)) {
            throw new AuthenticationException("SCRAM-SHA-256: the server's signature is wrong: it does not know "
                    + "the password");
        }
        expectedServerSignature = null;
    }

    private static String attribute(String message, char name) throws AuthenticationException {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new AuthenticationException("SCRAM-SHA-256: no '" + name + "' in " + message);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
