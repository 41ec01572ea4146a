package dev.wren.mqtt.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Private keys in the forms the {@code openssl} command-line tool writes, made by it in the test: legacy PEM with
 * {@code Proc-Type}/{@code DEK-Info}, PKCS#8 with PBES2 (AES and DES-EDE3), SEC1 EC, RSA and EC each.
 */
class EncryptedKeyTest {
    private static final String PASSWORD = "s3cret pass";

    @TempDir
    static Path dir;

    private static Path rsa;
    private static Path ec;

    @BeforeAll
    static void makeKeys() throws Exception {
        rsa = dir.resolve("rsa.pem");
        ec = dir.resolve("ec.pem");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa.toString());
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec.toString());
    }

    static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static Path source(String algorithm) {
        return algorithm.equals("rsa") ? rsa : ec;
    }

    /** Whether two keys are the same key, whatever the encoding the JDK chose for each. */
    private static void assertSameKey(PrivateKey actual, PrivateKey expected) {
        if (expected instanceof RSAPrivateKey r) {
            assertThat(((RSAPrivateKey) actual).getPrivateExponent()).isEqualTo(r.getPrivateExponent());
            assertThat(((RSAPrivateKey) actual).getModulus()).isEqualTo(r.getModulus());
        } else {
            assertThat(((ECPrivateKey) actual).getS()).isEqualTo(((ECPrivateKey) expected).getS());
            assertThat(((ECPrivateKey) actual).getParams().getCurve())
                    .isEqualTo(((ECPrivateKey) expected).getParams().getCurve());
        }
    }

    @ParameterizedTest(name = "legacy PEM {0} {1}")
    @CsvSource({"rsa, -aes128", "rsa, -aes192", "rsa, -aes256", "rsa, -des3",
            "ec, -aes128", "ec, -aes192", "ec, -aes256", "ec, -des3"})
    void legacyEncryptedPemKeysAreRead(String algorithm, String cipher) throws Exception {
        Path out = dir.resolve("legacy-" + algorithm + cipher + ".pem");
        if (algorithm.equals("rsa")) {
            openssl("rsa", "-in", rsa.toString(), "-traditional", cipher, "-passout", "pass:" + PASSWORD, "-out",
                    out.toString());
        } else {
            openssl("ec", "-in", ec.toString(), cipher, "-passout", "pass:" + PASSWORD, "-out", out.toString());
        }
        assertThat(Files.readString(out)).contains("Proc-Type: 4,ENCRYPTED").contains("DEK-Info: ");
        PrivateKey key = PemFiles.privateKey("keyFile", out, PASSWORD.toCharArray());
        assertSameKey(key, PemFiles.privateKey("keyFile", source(algorithm), null));
    }

    @ParameterizedTest(name = "PKCS#8 PBES2 {0} {1} {2}")
    @CsvSource({"rsa, des3, hmacWithSHA256", "rsa, aes-128-cbc, hmacWithSHA1", "rsa, aes-256-cbc, hmacWithSHA512",
            "ec, des3, hmacWithSHA256", "ec, aes-192-cbc, hmacWithSHA384", "ec, aes-256-cbc, hmacWithSHA256"})
    void pbes2EncryptedPkcs8KeysAreReadWhateverTheirCipher(String algorithm, String cipher, String prf)
            throws Exception {
        Path out = dir.resolve("pkcs8-" + algorithm + "-" + cipher + "-" + prf + ".pem");
        openssl("pkcs8", "-topk8", "-in", source(algorithm).toString(), "-v2", cipher, "-v2prf", prf,
                "-passout", "pass:" + PASSWORD, "-out", out.toString());
        assertThat(Files.readString(out)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        PrivateKey key = PemFiles.privateKey("keyFile", out, PASSWORD.toCharArray());
        assertSameKey(key, PemFiles.privateKey("keyFile", source(algorithm), null));
    }

    @Test
    void anUnencryptedSec1EcKeyIsRead() throws Exception {
        Path out = dir.resolve("sec1.pem");
        openssl("ec", "-in", ec.toString(), "-out", out.toString());
        assertThat(Files.readString(out)).contains("BEGIN EC PRIVATE KEY");
        assertSameKey(PemFiles.privateKey("keyFile", out, null), PemFiles.privateKey("keyFile", ec, null));
    }

    @Test
    void aWrongPasswordIsSuggestedOnlyWhenThePasswordIsTheProblem() throws Exception {
        Path legacy = dir.resolve("legacy-for-password.pem");
        openssl("rsa", "-in", rsa.toString(), "-traditional", "-aes256", "-passout", "pass:" + PASSWORD, "-out",
                legacy.toString());
        Path pkcs8 = dir.resolve("pkcs8-for-password.pem");
        openssl("pkcs8", "-topk8", "-in", ec.toString(), "-v2", "des3", "-passout", "pass:" + PASSWORD,
                "-out", pkcs8.toString());
        assertThatThrownBy(() -> PemFiles.privateKey("keyFile", legacy, "nope".toCharArray()))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining(legacy.toString()).hasMessageContaining("legacy PEM")
                .hasMessageContaining("AES-256-CBC").hasMessageContaining("wrong key password");
        assertThatThrownBy(() -> PemFiles.privateKey("keyFile", pkcs8, "nope".toCharArray()))
                .hasMessageContaining("PBES2").hasMessageContaining("DES-EDE3-CBC").hasMessageContaining("wrong key password");
        assertThatThrownBy(() -> PemFiles.privateKey("keyFile", legacy, null))
                .hasMessageContaining("encrypted PKCS#1 RSA key").hasMessageContaining("a key password is needed")
                .hasMessageNotContaining("wrong key password");
        assertThatThrownBy(() -> PemFiles.privateKey("keyFile", pkcs8, null))
                .hasMessageContaining("encrypted PKCS#8 key").hasMessageContaining("a key password is needed");
        Path cert = Files.writeString(dir.resolve("no-key.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.privateKey("keyFile", cert, PASSWORD.toCharArray()))
                .hasMessageContaining("holds no PEM private key").hasMessageNotContaining("password");
    }
}
