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

    /**
     * The private key in a PEM file, RSA or EC, in each form OpenSSL writes: PKCS#8 ({@code PRIVATE KEY}); PKCS#8
     * encrypted ({@code ENCRYPTED PRIVATE KEY}) with PBES2 (PBKDF2 with HMAC-SHA-1/224/256/384/512, then AES-128/192/256
     * or DES-EDE3 in CBC mode) or with the PBES1 schemes the JDK knows; PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1
     * EC ({@code EC PRIVATE KEY}), plain or in the legacy encrypted form ({@code Proc-Type: 4,ENCRYPTED} and
     * {@code DEK-Info}, AES-128/192/256-CBC or DES-EDE3-CBC). The error names the form found and what failed; it
     * suggests a wrong password only when decryption shows that the password is at fault.
     */
    public static PrivateKey privateKey(String field, Path file, char[] password) throws GeneralSecurityException {
        String text = new String(read(field, file), StandardCharsets.US_ASCII);
        Matcher m = ANY_BLOCK.matcher(text);
        String where = field + " " + file;
        while (m.find()) {
            String type = m.group(1);
            String body = m.group(2);
            String procType = header(body, "Proc-Type");
            String dekInfo = header(body, "DEK-Info");
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body.substring(headersEnd(body)).trim());
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException(where + " holds a " + type + " block that is not valid base64");
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(where, "PKCS#8", der);
                case "ENCRYPTED PRIVATE KEY":
                    if (password == null) {
                        throw new GeneralSecurityException(where + " is an encrypted PKCS#8 key: a key password is needed");
                    }
                    return encryptedPkcs8(where, der, password);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY": {
                    boolean rsa = type.startsWith("RSA");
                    String form = rsa ? "PKCS#1 RSA key" : "SEC1 EC key";
                    if (procType != null && procType.contains("ENCRYPTED")) {
                        if (dekInfo == null) {
                            throw new GeneralSecurityException(where + " is an encrypted " + form + " without DEK-Info");
                        }
                        if (password == null) {
                            throw new GeneralSecurityException(where + " is an encrypted " + form + " (legacy PEM, "
                                    + dekInfo.split(",")[0].trim() + "): a key password is needed");
                        }
                        der = legacyDecrypt(where, form, dekInfo, der, password);
                        form = form + " (legacy PEM, " + dekInfo.split(",")[0].trim() + ")";
                        try {
                            return pkcs8(where, form, rsa ? wrapPkcs1Rsa(der) : wrapSec1Ec(der));
                        } catch (GeneralSecurityException | RuntimeException e) {
                            throw new GeneralSecurityException(where + " is an encrypted " + form
                                    + " that did not decrypt to a key: wrong key password?", e);
                        }
                    }
                    return pkcs8(where, form, rsa ? wrapPkcs1Rsa(der) : wrapSec1Ec(der));
                }
                default:
                    // not a key block (a certificate in the same file, say): keep looking
            }
        }
        throw new GeneralSecurityException(where + " holds no PEM private key (looked for PRIVATE KEY, ENCRYPTED "
                + "PRIVATE KEY, RSA PRIVATE KEY and EC PRIVATE KEY blocks)");
    }

    private static final Pattern ANY_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    /** The value of an RFC 1421 header line ({@code Name: value}) at the start of a block, or null. */
    private static String header(String body, String name) {
        for (String line : body.substring(0, headersEnd(body)).split("\\r?\\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    /** Where the base64 starts: after the header lines and the blank line that ends them, if there are any. */
    private static int headersEnd(String body) {
        int firstLineEnd = body.indexOf('\n');
        if (firstLineEnd < 0 || body.substring(0, firstLineEnd).indexOf(':') < 0) {
            return 0;
        }
        int blank = body.indexOf("\n\n");
        int blankCr = body.indexOf("\r\n\r\n");
        if (blankCr >= 0 && (blank < 0 || blankCr < blank)) {
            return blankCr + 4;
        }
        return blank < 0 ? 0 : blank + 2;
    }

    private static PrivateKey pkcs8(String where, String form, byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException wrongAlgorithm) {
                // try the next
            }
        }
        throw new GeneralSecurityException(where + " holds a " + form + " of an algorithm this JDK cannot read, or "
                + "a damaged one");
    }

    /** Legacy OpenSSL encryption: key from EVP_BytesToKey(MD5, password, first 8 IV bytes, 1 round), CBC. */
    private static byte[] legacyDecrypt(String where, String form, String dekInfo, byte[] data, char[] password)
            throws GeneralSecurityException {
        String[] parts = dekInfo.split(",");
        String name = parts[0].trim().toUpperCase(java.util.Locale.ROOT);
        String cipherName;
        int keyLength;
        switch (name) {
            case "AES-128-CBC" -> { cipherName = "AES/CBC/PKCS5Padding"; keyLength = 16; }
            case "AES-192-CBC" -> { cipherName = "AES/CBC/PKCS5Padding"; keyLength = 24; }
            case "AES-256-CBC" -> { cipherName = "AES/CBC/PKCS5Padding"; keyLength = 32; }
            case "DES-EDE3-CBC" -> { cipherName = "DESede/CBC/PKCS5Padding"; keyLength = 24; }
            default -> throw new GeneralSecurityException(where + " is a " + form + " encrypted with " + name
                    + ", which Wren cannot read (AES-128/192/256-CBC and DES-EDE3-CBC are supported)");
        }
        byte[] iv;
        try {
            iv = java.util.HexFormat.of().parseHex(parts.length > 1 ? parts[1].trim() : "");
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(where + " has a DEK-Info IV that is not hexadecimal");
        }
        if (iv.length < 8) {
            throw new GeneralSecurityException(where + " has a DEK-Info IV of " + iv.length + " bytes");
        }
        byte[] pass = new String(password).getBytes(StandardCharsets.UTF_8);
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        byte[] key = new byte[keyLength];
        byte[] previous = new byte[0];
        for (int filled = 0; filled < keyLength; ) {
            md5.update(previous);
            md5.update(pass);
            md5.update(iv, 0, 8);
            previous = md5.digest();
            int n = Math.min(previous.length, keyLength - filled);
            System.arraycopy(previous, 0, key, filled, n);
            filled += n;
        }
        String algorithm = cipherName.substring(0, cipherName.indexOf('/'));
        Cipher cipher = Cipher.getInstance(cipherName);
        cipher.init(Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, algorithm),
                new javax.crypto.spec.IvParameterSpec(iv));
        try {
            return cipher.doFinal(data);
        } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
            throw new GeneralSecurityException(where + " is a " + form + " (legacy PEM, " + name
                    + ") that could not be decrypted: wrong key password?", e);
        }
    }

    private static final String PBES2 = "2a864886f70d01050d";
    private static final String PBKDF2 = "2a864886f70d01050c";
    private static final String SCRYPT = "2b06010401da47040b";

    /** An encrypted PKCS#8 key: PBES2 read here (so DES-EDE3 works too), anything else handed to the JDK. */
    private static PrivateKey encryptedPkcs8(String where, byte[] der, char[] password) throws GeneralSecurityException {
        Der info;
        Der algorithm;
        byte[] encrypted;
        String schemeOid;
        try {
            info = Der.of(der).sequence();
            algorithm = info.sequence();
            schemeOid = algorithm.oid();
            if (!schemeOid.equals(PBES2)) {
                return pkcs8(where, "encrypted PKCS#8 key", jdkDecrypt(where, der, password));
            }
            Der params = algorithm.sequence();
            Der kdf = params.sequence();
            String kdfOid = kdf.oid();
            if (kdfOid.equals(SCRYPT)) {
                throw new GeneralSecurityException(where + " is a PKCS#8 key encrypted with scrypt, which the JDK cannot "
                        + "derive; re-encrypt it with 'openssl pkcs8 -topk8 -v2 aes-256-cbc'");
            }
            if (!kdfOid.equals(PBKDF2)) {
                throw new GeneralSecurityException(where + " is a PBES2 key with an unknown key derivation (OID "
                        + kdfOid + ")");
            }
            Der kdfParams = kdf.sequence();
            byte[] salt = kdfParams.octets();
            int iterations = kdfParams.integer();
            int keyLength = -1;
            String prf = "HmacSHA1";
            if (kdfParams.more() && kdfParams.peek() == 0x02) {
                keyLength = kdfParams.integer();
            }
            if (kdfParams.more()) {
                String prfOid = kdfParams.sequence().oid();
                prf = switch (prfOid) {
                    case "2a864886f70d0207" -> "HmacSHA1";
                    case "2a864886f70d0208" -> "HmacSHA224";
                    case "2a864886f70d0209" -> "HmacSHA256";
                    case "2a864886f70d020a" -> "HmacSHA384";
                    case "2a864886f70d020b" -> "HmacSHA512";
                    default -> throw new GeneralSecurityException(where + " is a PBES2 key with an unknown PRF (OID "
                            + prfOid + ")");
                };
            }
            Der scheme = params.sequence();
            String cipherOid = scheme.oid();
            byte[] iv = scheme.octets();
            String cipherName;
            String cipherLabel;
            int cipherKeyLength;
            switch (cipherOid) {
                case "608648016503040102" -> { cipherName = "AES"; cipherKeyLength = 16; cipherLabel = "AES-128-CBC"; }
                case "608648016503040116" -> { cipherName = "AES"; cipherKeyLength = 24; cipherLabel = "AES-192-CBC"; }
                case "60864801650304012a" -> { cipherName = "AES"; cipherKeyLength = 32; cipherLabel = "AES-256-CBC"; }
                case "2a864886f70d0307" -> { cipherName = "DESede"; cipherKeyLength = 24; cipherLabel = "DES-EDE3-CBC"; }
                default -> throw new GeneralSecurityException(where + " is a PBES2 key with a cipher Wren cannot read "
                        + "(OID " + cipherOid + "; AES-128/192/256-CBC and DES-EDE3-CBC are supported)");
            }
            encrypted = info.octets();
            int length = keyLength > 0 ? keyLength : cipherKeyLength;
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2With" + prf);
            byte[] key = factory.generateSecret(new PBEKeySpec(password, salt, iterations, length * 8)).getEncoded();
            Cipher cipher = Cipher.getInstance(cipherName + "/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, cipherName),
                    new javax.crypto.spec.IvParameterSpec(iv));
            String form = "PKCS#8 key (PBES2, PBKDF2 with " + prf + ", " + cipherLabel + ")";
            byte[] plain;
            try {
                plain = cipher.doFinal(encrypted);
            } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
                throw new GeneralSecurityException(where + " is an encrypted " + form
                        + " that could not be decrypted: wrong key password?", e);
            }
            try {
                return pkcs8(where, form, plain);
            } catch (GeneralSecurityException e) {
                throw new GeneralSecurityException(where + " is an encrypted " + form
                        + " that did not decrypt to a key: wrong key password?", e);
            }
        } catch (DerException e) {
            throw new GeneralSecurityException(where + " holds an ENCRYPTED PRIVATE KEY block that is not valid "
                    + "PKCS#8: " + e.getMessage());
        }
    }

    private static byte[] jdkDecrypt(String where, byte[] der, char[] password) throws GeneralSecurityException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new GeneralSecurityException(where + " is a PKCS#8 key encrypted with a scheme this JDK cannot read: "
                    + e.getMessage(), e);
        } catch (IOException | GeneralSecurityException e) {
            throw new GeneralSecurityException(where + " is an encrypted PKCS#8 key that could not be decrypted "
                    + "(wrong key password?): " + e.getMessage(), e);
        }
    }

    /**
     * Wraps a SEC1 ECPrivateKey in a PKCS#8 PrivateKeyInfo: version 0, id-ecPublicKey with the curve the SEC1 key
     * names in its parameters, and the SEC1 structure itself.
     */
    private static byte[] wrapSec1Ec(byte[] sec1) throws GeneralSecurityException {
        byte[] curve;
        try {
            Der key = Der.of(sec1).sequence();
            key.integer(); // version 1
            key.octets();  // the private value
            curve = null;
            while (key.more()) {
                if (key.peek() == 0xA0) {
                    curve = key.explicit().rawOid();
                    break;
                }
                key.skip();
            }
        } catch (DerException e) {
            throw new GeneralSecurityException("not a SEC1 EC key: " + e.getMessage());
        }
        if (curve == null) {
            throw new GeneralSecurityException("a SEC1 EC key without its curve, which Wren cannot read");
        }
        byte[] ecPublicKey = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
        byte[] algorithm = concat(new byte[] {0x30}, derLength(ecPublicKey.length + curve.length), ecPublicKey, curve);
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = concat(new byte[] {0x04}, derLength(sec1.length), sec1);
        byte[] body = concat(version, algorithm, octets);
        return concat(new byte[] {0x30}, derLength(body.length), body);
    }

    /** A malformed DER structure. */
    private static final class DerException extends Exception {
        private static final long serialVersionUID = 1L;

        DerException(String message) {
            super(message);
        }
    }

    /** Reads the few DER types a key file holds, one element after another, within bounds. Not thread-safe. */
    private static final class Der {
        private final byte[] data;
        private int pos;
        private final int end;

        private Der(byte[] data, int pos, int end) {
            this.data = data;
            this.pos = pos;
            this.end = end;
        }

        static Der of(byte[] data) {
            return new Der(data, 0, data.length);
        }

        boolean more() {
            return pos < end;
        }

        int peek() throws DerException {
            if (pos >= end) {
                throw new DerException("truncated");
            }
            return data[pos] & 0xFF;
        }

        /** The element's content bounds after checking its tag; advances past it. */
        private int[] element(int tag) throws DerException {
            int start = pos;
            if (peek() != tag) {
                throw new DerException(String.format("expected tag 0x%02x, found 0x%02x", tag, peek()));
            }
            pos++;
            if (pos >= end) {
                throw new DerException("truncated");
            }
            int len = data[pos++] & 0xFF;
            if (len >= 0x80) {
                int n = len & 0x7F;
                if (n == 0 || n > 3) {
                    throw new DerException("unsupported length form");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    if (pos >= end) {
                        throw new DerException("truncated");
                    }
                    len = (len << 8) | (data[pos++] & 0xFF);
                }
            }
            if (len > end - pos) {
                throw new DerException("length " + len + " beyond the data");
            }
            int[] bounds = {pos, pos + len, start};
            pos += len;
            return bounds;
        }

        Der sequence() throws DerException {
            int[] b = element(0x30);
            return new Der(data, b[0], b[1]);
        }

        Der explicit() throws DerException {
            int[] b = element(0xA0);
            return new Der(data, b[0], b[1]);
        }

        byte[] octets() throws DerException {
            int[] b = element(0x04);
            return java.util.Arrays.copyOfRange(data, b[0], b[1]);
        }

        int integer() throws DerException {
            int[] b = element(0x02);
            if (b[1] - b[0] > 4 || b[1] == b[0]) {
                throw new DerException("integer out of range");
            }
            int v = 0;
            for (int i = b[0]; i < b[1]; i++) {
                v = (v << 8) | (data[i] & 0xFF);
            }
            return v;
        }

        /** An OID's content bytes in hexadecimal. */
        String oid() throws DerException {
            int[] b = element(0x06);
            return java.util.HexFormat.of().formatHex(data, b[0], b[1]);
        }

        /** An OID element whole (tag, length, content). */
        byte[] rawOid() throws DerException {
            int[] b = element(0x06);
            return java.util.Arrays.copyOfRange(data, b[2], b[1]);
        }

        void skip() throws DerException {
            element(peek());
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
