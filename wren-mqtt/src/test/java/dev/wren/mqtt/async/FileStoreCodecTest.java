package dev.wren.mqtt.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wren.mqtt.Qos;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

/** The file store with an application's codec: here AES-GCM from the JDK, as an application would write it. */
class FileStoreCodecTest {

    /** AES-256-GCM with a random 12-byte nonce in front of each file's ciphertext. */
    static final class AesGcm implements SessionStore.Codec {
        private final SecretKey key;
        private final SecureRandom random = new SecureRandom();

        AesGcm(SecretKey key) {
            this.key = key;
        }

        @Override
        public byte[] encode(byte[] plain) {
            try {
                byte[] nonce = new byte[12];
                random.nextBytes(nonce);
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
                return ByteBuffer.allocate(12 + plain.length + 16).put(nonce).put(c.doFinal(plain)).array();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] decode(byte[] stored) throws IOException {
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 0, 12));
                return c.doFinal(stored, 12, stored.length - 12);
            } catch (GeneralSecurityException e) {
                throw new IOException("not written with this key: " + e.getMessage(), e);
            }
        }
    }

    private static SecretKey newKey() throws Exception {
        KeyGenerator g = KeyGenerator.getInstance("AES");
        g.init(256);
        return g.generateKey();
    }

    @Test
    void whatIsOnDiskIsOnlyWhatTheCodecMakesOfItAndItReadsBack() throws Exception {
        Path dir = Files.createTempDirectory("wren-codec");
        SessionStore.Codec codec = new AesGcm(newKey());
        SessionStore store = SessionStore.files(dir, codec);
        byte[] secret = "the secret payload".getBytes(StandardCharsets.UTF_8);
        long key = store.add("plant/secret-topic", Qos.EXACTLY_ONCE, true, secret, 1234L);
        store.assigned(key, 42);
        store.released(key);
        store.incomingReceived(9);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String raw = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(raw).as(f.getFileName().toString()).doesNotContain("secret");
            }
        }
        store.close(); // as the client does when closed, or the process ending
        SessionStore reopened = SessionStore.files(dir, codec);
        SessionStore.StoredMessage m = reopened.load().get(0);
        assertThat(m.topic()).isEqualTo("plant/secret-topic");
        assertThat(m.payload()).isEqualTo(secret);
        assertThat(m.qos()).isEqualTo(Qos.EXACTLY_ONCE);
        assertThat(m.retain()).isTrue();
        assertThat(m.packetId()).isEqualTo(42);
        assertThat(m.released()).isTrue();
        assertThat(m.expiresAtMillis()).isEqualTo(1234L);
        assertThat(reopened.loadIncoming()).containsExactly(9);
    }

    @Test
    void aStoreReadWithTheWrongKeyFailsWithAClearErrorNamingTheDirectory() throws Exception {
        Path dir = Files.createTempDirectory("wren-codec");
        SessionStore store = SessionStore.files(dir, new AesGcm(newKey()));
        store.add("t", Qos.AT_LEAST_ONCE, false, new byte[] {1, 2, 3});
        store.close();
        SessionStore wrong = SessionStore.files(dir, new AesGcm(newKey()));
        assertThatThrownBy(wrong::load).hasMessageContaining("sessionStore " + dir)
                .hasMessageContaining("not written with this key");
    }

    @Test
    void aMessageFileClaimingMoreThanItHoldsIsRefusedNotAllocated() throws Exception {
        Path dir = Files.createTempDirectory("wren-codec");
        SessionStore store = SessionStore.files(dir);
        long key = store.add("t", Qos.AT_LEAST_ONCE, false, new byte[] {1, 2, 3});
        Path f = dir.resolve(key + ".msg");
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).putInt(b.length - 7, Integer.MAX_VALUE); // the payload length field
        Files.write(f, b);
        store.close();
        assertThatThrownBy(SessionStore.files(dir)::load).hasMessageContaining("claims a payload of 2147483647");
    }
}
