package dev.wren.mqtt.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM certificates and private keys with the JDK alone.
 *
 * <p>Stateless and thread-safe.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private PemFiles() {
    }

    /** Every certificate in a PEM file. */
    public static List<Certificate> certificates(String field, Path file) throws GeneralSecurityException {
        byte[] bytes = read(field, file);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Collection<? extends Certificate> certs;
        try {
            certs = cf.generateCertificates(new ByteArrayInputStream(bytes));
        } catch (java.security.cert.CertificateException e) {
            throw new GeneralSecurityException(field + " " + file + " holds no readable PEM certificate ("
                    + e.getMessage() + ")", e);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException(field + " " + file + " holds no certificate");
        }
        return new ArrayList<>(certs);
    }

    /** The private key in a PEM file: PKCS#8, encrypted PKCS#8 (with {@code password}) or PKCS#1 RSA. */
    public static PrivateKey privateKey(String field, Path file, char[] password) throws GeneralSecurityException {
        String text = new String(read(field, file), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(field, file, der);
                case "ENCRYPTED PRIVATE KEY":
                    if (password == null) {
                        throw new GeneralSecurityException(field + " " + file + " is encrypted: a key password is needed");
                    }
                    return pkcs8(field, file, decrypt(field, file, der, password));
                case "RSA PRIVATE KEY":
                    return pkcs8(field, file, wrapPkcs1Rsa(der));
                case "EC PRIVATE KEY":
                    throw new GeneralSecurityException(field + " " + file + " is a SEC1 EC key; convert it to PKCS#8 with "
                            + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
                default:
                    // not a key block (a certificate in the same file, say): keep looking
            }
        }
        throw new GeneralSecurityException(field + " " + file + " holds no PEM private key");
    }

    private static PrivateKey pkcs8(String field, Path file, byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException wrongAlgorithm) {
                // try the next
            }
        }
        throw new GeneralSecurityException(field + " " + file + " holds a key of an unsupported algorithm");
    }

    private static byte[] decrypt(String field, Path file, byte[] der, char[] password) throws GeneralSecurityException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // for PBES2 the JDK names the real algorithm only in the parameters' toString()
            String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (IOException | GeneralSecurityException e) {
            throw new GeneralSecurityException(field + " " + file + " could not be decrypted (wrong key password?): "
                    + e.getMessage(), e);
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL). */
    private static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
            0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(new byte[] {0x04}, derLength(pkcs1.length), pkcs1);
        byte[] body = concat(version, algorithm, octets);
        return concat(new byte[] {0x30}, derLength(body.length), body);
    }

    private static byte[] derLength(int n) {
        if (n < 128) {
            return new byte[] {(byte) n};
        }
        byte[] b = BigInteger.valueOf(n).toByteArray();
        int skip = b[0] == 0 ? 1 : 0;
        byte[] out = new byte[1 + b.length - skip];
        out[0] = (byte) (0x80 | (b.length - skip));
        System.arraycopy(b, skip, out, 1, b.length - skip);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] read(String field, Path file) throws GeneralSecurityException {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new GeneralSecurityException(field + " " + file + " does not exist", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new GeneralSecurityException(field + " " + file + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new GeneralSecurityException(field + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
