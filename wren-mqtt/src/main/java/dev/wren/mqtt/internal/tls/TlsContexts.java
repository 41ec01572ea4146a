package dev.wren.mqtt.internal.tls;

import dev.wren.mqtt.TlsConfig.PeerVerification;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the {@link SSLContext} of a {@link dev.wren.mqtt.TlsConfig} from key stores or PEM files.
 *
 * <p>Stateless and thread-safe.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** A key store of the CA certificates in a PEM file and/or every PEM file of a directory. */
    public static KeyStore trustStoreFromPem(Path caFile, Path caPath) throws GeneralSecurityException {
        KeyStore ks = emptyStore();
        int n = 0;
        if (caFile != null) {
            for (Certificate c : PemFiles.certificates("caFile", caFile)) {
                ks.setCertificateEntry("ca-" + n++, c);
            }
        }
        if (caPath != null) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(caPath, "*.{pem,crt}")) {
                for (Path f : files) {
                    for (Certificate c : PemFiles.certificates("caPath", f)) {
                        ks.setCertificateEntry("ca-" + n++, c);
                    }
                }
            } catch (IOException e) {
                throw new GeneralSecurityException("caPath " + caPath + " cannot be read: " + e, e);
            }
            if (n == 0) {
                throw new GeneralSecurityException("caPath " + caPath + " holds no .pem or .crt certificate");
            }
        }
        return ks;
    }

    /** A key store holding one private key with its certificate chain, protected by {@code storePassword}. */
    public static KeyStore keyStoreFromPem(Path certFile, Path keyFile, char[] keyPassword, char[] storePassword)
            throws GeneralSecurityException {
        List<Certificate> chain = PemFiles.certificates("certFile", certFile);
        PrivateKey key = PemFiles.privateKey("keyFile", keyFile, keyPassword);
        KeyStore ks = emptyStore();
        ks.setKeyEntry("client", key, storePassword, chain.toArray(new Certificate[0]));
        return ks;
    }

    /** An SSLContext trusting {@code trust} (null: the JDK's defaults) and presenting {@code keys} (null: none). */
    public static SSLContext create(KeyStore trust, KeyStore keys, char[] keyPassword, PeerVerification verification,
                                    Consumer<String> failures) throws GeneralSecurityException {
        KeyManager[] keyManagers = null;
        if (keys != null) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword == null ? new char[0] : keyPassword);
            keyManagers = kmf.getKeyManagers();
        }
        TrustManager[] trustManagers;
        if (verification == PeerVerification.NONE) {
            trustManagers = new TrustManager[] {new TrustingEveryone()};
        } else {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            X509ExtendedTrustManager real = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    real = x;
                }
            }
            if (real == null) {
                throw new GeneralSecurityException("no X509 trust manager available");
            }
            trustManagers = new TrustManager[] {verification == PeerVerification.OPTIONAL
                    ? new ReportingOnly(real, failures) : real};
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers, trustManagers, null);
        return ctx;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }

    /** PeerVerification.NONE: accepts any server certificate. */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** PeerVerification.OPTIONAL: checks as REQUIRED would, reports a failure, and lets the handshake go on. */
    private static final class ReportingOnly extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager real;
        private final Consumer<String> failures;

        ReportingOnly(X509ExtendedTrustManager real, Consumer<String> failures) {
            this.real = real;
            this.failures = failures;
        }

        private void report(CertificateException e) {
            if (failures != null) {
                failures.accept(e.getMessage());
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            try {
                real.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                report(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            try {
                real.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                report(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            try {
                real.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                report(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            real.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            real.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            real.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return real.getAcceptedIssuers();
        }
    }

}
