package dev.wren.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SCRAM-SHA-256 against the example exchange of RFC 7677, section 3. */
class ScramSha256AuthenticatorTest {
    static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,"
            + "i=4096";
    static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    static ScramSha256Authenticator rfcClient() {
        return new ScramSha256Authenticator("user", "pencil".toCharArray(), () -> CLIENT_NONCE);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theExchangeIsTheRfcsExample() throws Exception {
        ScramSha256Authenticator a = rfcClient();
        assertThat(a.method()).isEqualTo("SCRAM-SHA-256");
        assertThat(new String(a.initialData(), StandardCharsets.UTF_8)).isEqualTo("n,,n=user,r=" + CLIENT_NONCE);
        assertThat(new String(a.challenge(utf8(SERVER_FIRST)), StandardCharsets.UTF_8)).isEqualTo(CLIENT_FINAL);
        a.accepted(utf8(SERVER_FINAL)); // the server's signature checks out
    }

    @Test
    void aServerWithTheWrongSignatureOrANonceNotExtendingOursIsRefused() throws Exception {
        ScramSha256Authenticator a = rfcClient();
        a.initialData();
        a.challenge(utf8(SERVER_FIRST));
        assertThatThrownBy(() -> a.accepted(utf8("v=AAAA" + SERVER_FINAL.substring(6))))
                .hasMessageContaining("signature is wrong");
        ScramSha256Authenticator b = rfcClient();
        b.initialData();
        assertThatThrownBy(() -> b.challenge(utf8("r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
                .hasMessageContaining("nonce");
        ScramSha256Authenticator c = rfcClient();
        assertThatThrownBy(() -> c.accepted(utf8(SERVER_FINAL))).hasMessageContaining("before the exchange");
    }

    @Test
    void userNamesEscapeCommaAndEquals() {
        ScramSha256Authenticator a = new ScramSha256Authenticator("a,b=c", "p".toCharArray(), () -> "n");
        assertThat(new String(a.initialData(), StandardCharsets.UTF_8)).isEqualTo("n,,n=a=2Cb=3Dc,r=n");
    }
}
