package dev.wren.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, generated when the tests run (nothing is checked in): a CA, a server certificate for
 * {@code localhost} and {@code 127.0.0.1}, a client certificate, and the broken variants tests need: an expired
 * server certificate, one for the wrong host, and one from a CA nobody trusts.
 *
 * <p>Files (PEM) in the directory given to {@link #create(Path)}:
 * <ul>
 *   <li>{@code ca.pem}: the CA; {@code other-ca.pem}: a CA nobody trusts</li>
 *   <li>{@code server.pem}/{@code server.key}: localhost, 127.0.0.1 (EC P-256, PKCS#8)</li>
 *   <li>{@code expired.pem}/{@code .key}, {@code wronghost.pem}/{@code .key} (wrong.example),
 *       {@code untrusted.pem}/{@code .key} (signed by other-ca)</li>
 *   <li>{@code client.pem} (RSA 2048) with its key as {@code client.key} (PKCS#8), {@code client-encrypted.key}
 *       (encrypted PKCS#8, password {@value #KEY_PASSWORD}) and {@code client-rsa.key} (PKCS#1)</li>
 * </ul>
 *
 * <p>Immutable once created; thread-safe.
 */
public final class TestPki {
    /** The password of the encrypted client keys. */
    public static final String KEY_PASSWORD = "secret";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /**
     * Generates everything into {@code dir}.
     *
     * @param dir the directory to write the keys and certificates into
     * @return the PKI
     */
    public static TestPki create(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = ec();
            X509Certificate ca = certificate("CN=Wren Test CA", caKeys, "CN=Wren Test CA", caKeys.getPrivate(),
                    null, true, null, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
            KeyPair otherKeys = ec();
            X509Certificate other = certificate("CN=Nobody Trusts Me", otherKeys, "CN=Nobody Trusts Me",
                    otherKeys.getPrivate(), null, true, null, Instant.now().minus(Duration.ofDays(1)),
                    Instant.now().plus(Duration.ofDays(30)));
            write(dir.resolve("ca.pem"), pem(ca));
            write(dir.resolve("other-ca.pem"), pem(other));

            Instant from = Instant.now().minus(Duration.ofDays(1));
            Instant to = Instant.now().plus(Duration.ofDays(30));
            server(dir, "server", caKeys.getPrivate(), "CN=Wren Test CA", from, to, "localhost", "127.0.0.1");
            server(dir, "expired", caKeys.getPrivate(), "CN=Wren Test CA", Instant.now().minus(Duration.ofDays(30)),
                    Instant.now().minus(Duration.ofDays(1)), "localhost", "127.0.0.1");
            server(dir, "wronghost", caKeys.getPrivate(), "CN=Wren Test CA", from, to, "wrong.example", null);
            server(dir, "untrusted", otherKeys.getPrivate(), "CN=Nobody Trusts Me", from, to, "localhost", "127.0.0.1");

            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, new SecureRandom());
            KeyPair clientKeys = rsa.generateKeyPair();
            X509Certificate client = certificate("CN=wren-client", clientKeys, "CN=Wren Test CA", caKeys.getPrivate(),
                    null, false, KeyPurposeId.id_kp_clientAuth, from, to);
            write(dir.resolve("client.pem"), pem(client));
            write(dir.resolve("client.key"), pkcs8(clientKeys.getPrivate(), null));
            write(dir.resolve("client-encrypted.key"), pkcs8(clientKeys.getPrivate(), KEY_PASSWORD.toCharArray()));
            write(dir.resolve("client-rsa.key"), pem(clientKeys.getPrivate()));
            return new TestPki(dir);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create test certificates: " + e, e);
        }
    }

    /**
     * The directory the files are in.
     *
     * @return the directory
     */
    public Path dir() {
        return dir;
    }

    /**
     * A file of this PKI, e.g. {@code file("ca.pem")}.
     *
     * @param name the file's name in the PKI's directory
     * @return its path
     */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * An OpenSSL configuration file that caps TLS at 1.2, for a broker started with {@code OPENSSL_CONF} pointing at
     * it: mosquitto 2.0 has no setting for a maximum version.
     *
     * @return the configuration file's path
     */
    public Path openSslMaxTls12() {
        Path f = dir.resolve("openssl-max-tls12.cnf");
        try {
            write(f, String.join("\n", "openssl_conf = wren_conf", "[wren_conf]", "ssl_conf = wren_ssl", "[wren_ssl]",
                    "system_default = wren_tls12", "[wren_tls12]", "MaxProtocol = TLSv1.2", ""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    /**
     * Mosquitto listener lines for a TLS listener on {@code port} serving certificate {@code name}.
     *
     * @param port the listener's port
     * @param name the server certificate's name, such as {@code "server"}
     * @param requireClientCertificate whether clients must present a certificate
     * @param tlsVersion the TLS version for mosquitto's {@code tls_version}, or null for its default
     * @return the configuration lines
     */
    public String[] listener(int port, String name, boolean requireClientCertificate, String tlsVersion) {
        return new String[] {
            "listener " + port + " 127.0.0.1",
            "cafile " + file("ca.pem"),
            "certfile " + file(name + ".pem"),
            "keyfile " + file(name + ".key"),
            "require_certificate " + requireClientCertificate,
            tlsVersion == null ? "" : "tls_version " + tlsVersion,
        };
    }

    private static void server(Path dir, String name, PrivateKey issuerKey, String issuer, Instant from, Instant to,
                               String dns, String ip) throws GeneralSecurityException, IOException,
            OperatorCreationException {
        KeyPair keys = ec();
        GeneralNames san = ip == null ? new GeneralNames(new GeneralName(GeneralName.dNSName, dns))
                : new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, dns),
                    new GeneralName(GeneralName.iPAddress, ip)});
        X509Certificate cert = certificate("CN=" + dns, keys, issuer, issuerKey, san, false,
                KeyPurposeId.id_kp_serverAuth, from, to);
        write(dir.resolve(name + ".pem"), pem(cert));
        write(dir.resolve(name + ".key"), pkcs8(keys.getPrivate(), null));
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair keys, String issuer, PrivateKey issuerKey,
                                               GeneralNames san, boolean ca, KeyPurposeId purpose, Instant from,
                                               Instant to) throws GeneralSecurityException, IOException,
            OperatorCreationException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), new X500Name(subject),
                keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        ContentSigner signer = new JcaContentSignerBuilder(alg).build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    private static String pkcs8(PrivateKey key, char[] password) throws IOException, OperatorCreationException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            if (password == null) {
                w.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                w.writeObject(new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword(password).build()));
            }
        }
        return sw.toString();
    }

    private static void write(Path file, String text) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(text);
        }
    }
}
