package dev.wren.mqtt;

import dev.wren.mqtt.internal.tls.TlsContexts;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * TLS settings for a client: the Java form of Zephyr's {@code mqtt_sec_config}.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.builder()
 *         .caFile(Path.of("ca.pem"))                                   // whom to trust
 *         .clientCertificate(Path.of("client.pem"), Path.of("client.key"), null) // mutual TLS, optional
 *         .build();                                                     // peer verification REQUIRED by default
 * MqttClientConfig config = MqttClientConfig.builder().broker("broker.example", 8883).tls(tls).build();
 * }</pre>
 *
 * <p>Peer verification is {@link PeerVerification#REQUIRED} by default: the server's certificate chain must lead to
 * a trusted CA (the given CA file or trust store, else the JDK's default trust store) and name the host
 * (the broker's host, or {@link Builder#hostName(String)}). Credentials are read and checked when the configuration
 * is built, so a missing file or a wrong key password fails here, naming the field.
 *
 * <p>Immutable and thread-safe. Clients built from the same configuration share one {@link SSLContext}, so a
 * reconnect can resume the TLS session (unless {@link Builder#sessionResumption(boolean)} is off).
 */
public final class TlsConfig {

    /** How the server's certificate is checked (Zephyr's TLS_PEER_VERIFY_NONE / OPTIONAL / REQUIRED). */
    public enum PeerVerification {
        /** Not checked at all: anyone in the middle can read and change the traffic. For tests only. */
        NONE,
        /**
         * Checked, but a failure does not stop the handshake; it is reported through
         * {@link Builder#verificationFailureListener}. The connection is as exposed as with NONE.
         */
        OPTIONAL,
        /** Checked; a failure ends the connection with {@link DisconnectReason#TLS_ERROR}. The default. */
        REQUIRED
    }

    private final PeerVerification verification;
    private final List<String> cipherSuites;
    private final List<String> protocols;
    private final List<String> alpn;
    private final String hostName;
    private final boolean sessionResumption;
    private final boolean hostNameVerification;
    private final java.util.function.Consumer<String> verificationFailureListener;
    private final SSLContext context;

    private TlsConfig(Builder b, SSLContext context) {
        verification = b.verification;
        cipherSuites = b.cipherSuites;
        protocols = b.protocols;
        alpn = b.alpn;
        hostName = b.hostName;
        sessionResumption = b.sessionResumption;
        hostNameVerification = b.hostNameVerification;
        verificationFailureListener = b.verificationFailureListener;
        this.context = context;
    }

    /**
     * A builder with peer verification on and the JDK's trust store.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How the server's certificate and name are checked.
     *
     * @return the verification mode
     */
    public PeerVerification verification() {
        return verification;
    }

    /**
     * Cipher suites to enable; empty means the JDK's defaults.
     *
     * @return the cipher suites
     */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /**
     * Protocol versions to enable, such as {@code TLSv1.3}; empty means the JDK's defaults.
     *
     * @return the protocol versions
     */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * ALPN protocols to offer; empty offers none.
     *
     * @return the ALPN protocols
     */
    public List<String> alpn() {
        return alpn;
    }

    /**
     * The host name for SNI and certificate checks, or null to use the broker's host.
     *
     * @return the host name, or null
     */
    public String hostName() {
        return hostName;
    }

    /**
     * Whether TLS sessions are resumed on reconnect.
     *
     * @return whether sessions are resumed
     */
    public boolean sessionResumption() {
        return sessionResumption;
    }

    /**
     * Whether the certificate must name the host (with verification on).
     *
     * @return whether the host is checked
     */
    public boolean hostNameVerification() {
        return hostNameVerification;
    }

    /**
     * The listener for verification failures in OPTIONAL mode, or null.
     *
     * @return the listener, or null
     */
    public java.util.function.Consumer<String> verificationFailureListener() {
        return verificationFailureListener;
    }

    /**
     * The SSLContext connections are made with.
     *
     * @return the SSL context
     */
    public SSLContext context() {
        return context;
    }

    /**
     * Builds a {@link TlsConfig}.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private PeerVerification verification = PeerVerification.REQUIRED;
        private List<String> cipherSuites = List.of();
        private List<String> protocols = List.of();
        private List<String> alpn = List.of();
        private String hostName;
        private boolean sessionResumption = true;
        private boolean hostNameVerification = true;
        private java.util.function.Consumer<String> verificationFailureListener;
        private SSLContext context;
        private KeyStore trustStore;
        private Path caFile;
        private Path caPath;
        private KeyStore keyStore;
        private char[] keyStorePassword;
        private Path certFile;
        private Path keyFile;
        private char[] keyPassword;

        private Builder() {
        }

        /**
         * How the server's certificate is checked (default REQUIRED).
         *
         * @param verification the verification mode
         * @return this builder
         */
        public Builder verification(PeerVerification verification) {
            this.verification = Objects.requireNonNull(verification, "verification must not be null");
            return this;
        }

        /**
         * Cipher suites to enable, in JDK names (default: the JDK's).
         *
         * @param cipherSuites the cipher suites
         * @return this builder
         */
        public Builder cipherSuites(List<String> cipherSuites) {
            this.cipherSuites = List.copyOf(Objects.requireNonNull(cipherSuites, "cipherSuites must not be null"));
            return this;
        }

        /**
         * TLS versions to enable, e.g. {@code List.of("TLSv1.3")} (default: the JDK's: TLS 1.2 and 1.3).
         *
         * @param protocols the protocol versions
         * @return this builder
         */
        public Builder protocols(List<String> protocols) {
            this.protocols = List.copyOf(Objects.requireNonNull(protocols, "protocols must not be null"));
            return this;
        }

        /**
         * ALPN protocols to offer, e.g. {@code List.of("mqtt")} (default none).
         *
         * @param alpn the ALPN protocols
         * @return this builder
         */
        public Builder alpn(List<String> alpn) {
            this.alpn = List.copyOf(Objects.requireNonNull(alpn, "alpn must not be null"));
            return this;
        }

        /**
         * The host name for SNI and the certificate's host check (default: the broker's host).
         *
         * @param hostName the host name, or null
         * @return this builder
         */
        public Builder hostName(String hostName) {
            if (hostName != null && hostName.isBlank()) {
                throw new IllegalArgumentException("hostName must not be blank");
            }
            this.hostName = hostName;
            return this;
        }

        /**
         * Whether a reconnect may resume the previous TLS session (default true).
         *
         * @param sessionResumption {@code true} to resume sessions
         * @return this builder
         */
        public Builder sessionResumption(boolean sessionResumption) {
            this.sessionResumption = sessionResumption;
            return this;
        }

        /**
         * Whether the server's certificate must name the host (default true). Off, the chain is still verified but
         * any trusted certificate is accepted for any host: what mosquitto's {@code --insecure} does.
         *
         * @param on {@code true} to check the host name
         * @return this builder
         */
        public Builder hostNameVerification(boolean on) {
            this.hostNameVerification = on;
            return this;
        }

        /**
         * Receives the reason when OPTIONAL verification fails (the connection goes on).
         *
         * @param listener the listener, or null
         * @return this builder
         */
        public Builder verificationFailureListener(java.util.function.Consumer<String> listener) {
            this.verificationFailureListener = listener;
            return this;
        }

        /**
         * A ready SSLContext; trust and key settings of this builder are then not used.
         *
         * @param context the SSL context
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.context = context;
            return this;
        }

        /**
         * Trust the CAs of this key store.
         *
         * @param trustStore the key store with the trusted certificates
         * @return this builder
         */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = trustStore;
            return this;
        }

        /**
         * Trust the CA certificates in this PEM file (one or more certificates).
         *
         * @param caFile the PEM file
         * @return this builder
         */
        public Builder caFile(Path caFile) {
            this.caFile = caFile;
            return this;
        }

        /**
         * Trust every PEM certificate ({@code *.pem}, {@code *.crt}) in this directory.
         *
         * @param caPath the directory
         * @return this builder
         */
        public Builder caPath(Path caPath) {
            this.caPath = caPath;
            return this;
        }

        /**
         * Present the key and certificate chain of this key store (mutual TLS).
         *
         * @param keyStore the key store with the key and chain
         * @param password the key's password
         * @return this builder
         */
        public Builder keyStore(KeyStore keyStore, char[] password) {
            this.keyStore = keyStore;
            this.keyStorePassword = password == null ? null : password.clone();
            return this;
        }

        /**
         * Present this PEM certificate (chain) and PEM private key (mutual TLS). The key is PKCS#8
         * ({@code BEGIN PRIVATE KEY}, or {@code BEGIN ENCRYPTED PRIVATE KEY} with {@code keyPassword}) or PKCS#1
         * RSA ({@code BEGIN RSA PRIVATE KEY}).
         *
         * @param certFile the PEM certificate (chain)
         * @param keyFile the PEM private key
         * @param keyPassword the key's password, or null for an unencrypted key
         * @return this builder
         */
        public Builder clientCertificate(Path certFile, Path keyFile, char[] keyPassword) {
            this.certFile = Objects.requireNonNull(certFile, "certFile must not be null");
            this.keyFile = Objects.requireNonNull(keyFile, "keyFile must not be null");
            this.keyPassword = keyPassword == null ? null : keyPassword.clone();
            return this;
        }

        /**
         * Reads the credentials and builds.
         *
         * @return the TLS configuration
         * @throws IllegalArgumentException naming the field whose file or setting is at fault
         */
        public TlsConfig build() {
            if (context != null && (trustStore != null || caFile != null || caPath != null || keyStore != null
                    || certFile != null)) {
                throw new IllegalArgumentException("sslContext cannot be combined with trust or key settings");
            }
            if (trustStore != null && (caFile != null || caPath != null)) {
                throw new IllegalArgumentException("trustStore cannot be combined with caFile or caPath");
            }
            if (keyStore != null && certFile != null) {
                throw new IllegalArgumentException("keyStore cannot be combined with clientCertificate");
            }
            SSLContext ctx = context;
            if (ctx == null) {
                try {
                    KeyStore trust = trustStore;
                    if (trust == null && (caFile != null || caPath != null)) {
                        trust = TlsContexts.trustStoreFromPem(caFile, caPath);
                    }
                    KeyStore keys = keyStore;
                    char[] keysPassword = keyStorePassword;
                    if (certFile != null) {
                        keysPassword = new char[0];
                        keys = TlsContexts.keyStoreFromPem(certFile, keyFile, keyPassword, keysPassword);
                    }
                    ctx = TlsContexts.create(trust, keys, keysPassword, verification, verificationFailureListener);
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
            return new TlsConfig(this, ctx);
        }
    }
}
