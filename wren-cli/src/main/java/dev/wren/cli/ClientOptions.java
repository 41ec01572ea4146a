package dev.wren.cli;

import dev.wren.mqtt.MqttClientConfig;
import dev.wren.mqtt.MqttProperties;
import dev.wren.mqtt.ProtocolVersion;
import dev.wren.mqtt.Qos;
import dev.wren.mqtt.TlsConfig;
import dev.wren.mqtt.TransportFactory;
import dev.wren.mqtt.Will;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options {@code wren pub} and {@code wren sub} share, named as {@code mosquitto_pub} and {@code mosquitto_sub}
 * name them.
 *
 * <p>Not thread-safe: filled by picocli, read once.
 */
final class ClientOptions {
    @Option(names = "-h", paramLabel = "host", description = "broker host (default: localhost)")
    String host;

    @Option(names = "-p", paramLabel = "port", description = "broker port (default: 1883, or 8883 with TLS)")
    Integer port;

    @Option(names = "-i", paramLabel = "id", description = "client id")
    String id;

    @Option(names = "-I", paramLabel = "prefix", description = "client id prefix; the process id is appended")
    String idPrefix;

    @Option(names = "-u", paramLabel = "username", description = "user name")
    String user;

    @Option(names = "-P", paramLabel = "password", description = "password")
    String password;

    @Option(names = "-k", paramLabel = "keepalive", description = "keep-alive in seconds (default: 60)")
    int keepAlive = 60;

    @Option(names = "-c", description = "disable clean session: keep the session on the broker")
    boolean noCleanSession;

    @Option(names = "-V", paramLabel = "version", description = "mqttv31, mqttv311 or mqttv5 (default: mqttv311)")
    String protocol = "mqttv311";

    @Option(names = "-x", paramLabel = "seconds",
            description = "MQTT 5: session expiry interval of CONNECT (-1 or 4294967295: never)")
    Long sessionExpiry;

    @Option(names = "-D", paramLabel = "command identifier value", parameterConsumer = PropertyArguments.class,
            description = "MQTT 5: a property: connect, publish, subscribe or will, then the property name "
                    + "(as mosquitto_pub's -D) and its value; user-property takes a name and a value (repeatable)")
    List<String[]> properties = new ArrayList<>();

    /** Takes {@code -D}'s three arguments, or four for a user property (name and value), as mosquitto_pub does. */
    static final class PropertyArguments implements picocli.CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(java.util.Stack<String> args, picocli.CommandLine.Model.ArgSpec argSpec,
                                      picocli.CommandLine.Model.CommandSpec commandSpec) {
            if (args.size() < 3) {
                throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                        "-D needs a command, a property and a value");
            }
            String cmd = args.pop();
            String name = args.pop();
            String value = args.pop();
            String[] entry;
            if (name.equals("user-property")) {
                if (args.isEmpty()) {
                    throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                            "-D " + cmd + " user-property needs a name and a value");
                }
                entry = new String[] {cmd, name, value, args.pop()};
            } else {
                entry = new String[] {cmd, name, value};
            }
            List<String[]> list = argSpec.getValue();
            list.add(entry);
        }
    }

    @Option(names = "-q", paramLabel = "qos", description = "quality of service: 0, 1 or 2 (default: 0)")
    int qos;

    @Option(names = "--will-topic", paramLabel = "topic", description = "will topic")
    String willTopic;

    @Option(names = "--will-payload", paramLabel = "payload", description = "will message")
    String willPayload;

    @Option(names = "--will-qos", paramLabel = "qos", description = "will QoS (default: 0)")
    int willQos;

    @Option(names = "--will-retain", description = "retain the will")
    boolean willRetain;

    @Option(names = "--cafile", paramLabel = "file", description = "trust the CA certificates in this PEM file (TLS)")
    Path caFile;

    @Option(names = "--capath", paramLabel = "dir", description = "trust every PEM certificate in this directory (TLS)")
    Path caPath;

    @Option(names = "--cert", paramLabel = "file", description = "client certificate, PEM (TLS)")
    Path cert;

    @Option(names = "--key", paramLabel = "file", description = "client private key, PEM (TLS)")
    Path key;

    @Option(names = "--key-password", paramLabel = "password",
            description = "password of an encrypted --key (asked for on the terminal when needed and not given)")
    String keyPassword;

    @Option(names = "--insecure", description = "do not check that the certificate names the host (TLS)")
    boolean insecure;

    @Option(names = "--tls-version", paramLabel = "version", description = "tlsv1.2 or tlsv1.3")
    String tlsVersion;

    @Option(names = "--proxy", paramLabel = "url",
            description = "connect through a proxy: socks5h://[user[:password]@]host[:port] (as mosquitto) or "
                    + "http://[user[:password]@]host[:port]")
    String proxy;

    @Option(names = "-L", paramLabel = "url",
            description = "mqtt(s)://[user[:password]@]host[:port]/topic, or ws(s):// for WebSocket (at /mqtt)")
    String url;

    @Option(names = "-d", description = "debug: print each packet sent and received")
    boolean debug;

    @Option(names = "--unix", paramLabel = "path", description = "connect through this Unix domain socket instead of TCP")
    String unixSocket;

    @Option(names = "-A", paramLabel = "address", description = "connect from this local address (bind address)")
    String bindAddress;

    /** The topic the -L URL names, or null. */
    String urlTopic;

    /** Whether the -L URL asks for WebSocket (ws:// or wss://, at the path /mqtt). */
    private boolean webSocket;

    /** The byte transport under any TLS: TCP (from {@code -A} if given) or the {@code --unix} socket. */
    private TransportFactory baseTransport() {
        if (unixSocket != null && bindAddress != null) {
            throw new UsageException("--unix and -A do not go together: a Unix socket has no local address to choose");
        }
        if (unixSocket != null) {
            return TransportFactory.unix(java.nio.file.Path.of(unixSocket));
        }
        if (proxy != null) {
            if (unixSocket != null || bindAddress != null) {
                throw new UsageException("--proxy does not go with --unix or -A");
            }
            return proxyTransport();
        }
        if (bindAddress != null) {
            java.net.InetSocketAddress local = new java.net.InetSocketAddress(bindAddress, 0);
            if (local.isUnresolved()) {
                throw new UsageException("-A: cannot resolve " + bindAddress);
            }
            return TransportFactory.tcp(local);
        }
        return TransportFactory.tcp();
    }

    /** The {@code --proxy} URL as a transport: a SOCKS5 tunnel (the proxy resolves names) or an HTTP CONNECT one. */
    private TransportFactory proxyTransport() {
        URI uri;
        try {
            uri = URI.create(proxy);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--proxy is not a URL: " + proxy);
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase();
        boolean socks = scheme.equals("socks5h") || scheme.equals("socks5");
        if ((!socks && !scheme.equals("http")) || uri.getHost() == null) {
            throw new UsageException("--proxy must be socks5h://[user[:password]@]host[:port] or "
                    + "http://[user[:password]@]host[:port], was " + proxy);
        }
        String user = null;
        String pass = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            pass = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
        }
        return socks ? TransportFactory.socks5(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 1080, user, pass)
                : TransportFactory.httpProxy(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 8080, user, pass);
    }

    private long willDelay;

    /**
     * The {@code -D} properties given for {@code command} ({@code connect} ones go into {@code b}; a will's delay
     * into {@link #willDelay}), as mosquitto_pub 2.0 names them.
     */
    private MqttProperties properties(String command, MqttClientConfig.Builder b) {
        MqttProperties.Builder m = MqttProperties.builder();
        for (String[] d : properties) {
            String cmd = d[0];
            String name = d[1];
            String value = d[2];
            if (!List.of("connect", "publish", "subscribe", "will").contains(cmd)) {
                throw new UsageException("-D " + cmd + ": the command must be connect, publish, subscribe or will");
            }
            if (!cmd.equals(command)) {
                continue;
            }
            try {
                switch (cmd + " " + name) {
                    case "connect session-expiry-interval" -> b.sessionExpiryInterval(Long.parseLong(value));
                    case "connect receive-maximum" -> b.receiveMaximum(Integer.parseInt(value));
                    case "connect maximum-packet-size" -> b.maxIncomingPacketSize(Integer.parseInt(value));
                    case "connect topic-alias-maximum" -> b.topicAliasMaximum(Integer.parseInt(value));
                    case "connect request-problem-information" -> b.requestProblemInformation(!value.equals("0"));
                    case "connect request-response-information" -> b.requestResponseInformation(!value.equals("0"));
                    case "connect user-property" -> b.userProperty(value, d[3]);
                    case "will will-delay-interval" -> willDelay = Long.parseLong(value);
                    case "publish payload-format-indicator", "will payload-format-indicator" ->
                            m.payloadIsUtf8(value.equals("1"));
                    case "publish message-expiry-interval", "will message-expiry-interval" ->
                            m.messageExpiryInterval(Long.parseLong(value));
                    case "publish content-type", "will content-type" -> m.contentType(value);
                    case "publish response-topic", "will response-topic" -> m.responseTopic(value);
                    case "publish correlation-data", "will correlation-data" ->
                            m.correlationData(value.getBytes(StandardCharsets.UTF_8));
                    case "publish user-property", "will user-property" -> m.userProperty(value, d[3]);
                    case "subscribe user-property" -> throw new UsageException("-D subscribe user-property: wren sub "
                            + "does not send SUBSCRIBE user properties yet");
                    case "subscribe subscription-identifier" -> subscriptionIdentifier = Integer.parseInt(value);
                    default -> throw new UsageException("-D " + cmd + " " + name + ": not a property of " + cmd);
                }
            } catch (NumberFormatException e) {
                throw new UsageException("-D " + cmd + " " + name + " needs a number, was " + value);
            } catch (UsageException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new UsageException("-D " + cmd + " " + name + ": " + e.getMessage());
            }
        }
        return m.build();
    }

    /** The {@code -D subscribe subscription-identifier}, 0 when none. */
    int subscriptionIdentifier;

    /** The {@code -D publish} properties; none without -D. */
    MqttProperties publishProperties() {
        return properties("publish", MqttClientConfig.builder());
    }

    /** The {@code -D subscribe user-property} properties. */
    MqttProperties subscribeProperties() {
        return properties("subscribe", MqttClientConfig.builder());
    }

    /** Builds the configuration; {@code out} receives debug output. */
    MqttClientConfig config(String defaultIdPrefix, PrintStream out) {
        boolean tls = caFile != null || caPath != null || cert != null || insecure || tlsVersion != null;
        String h = host;
        Integer pt = port;
        String u = user;
        String pw = password;
        if (url != null) {
            URI uri = URI.create(url);
            String scheme = String.valueOf(uri.getScheme()).toLowerCase();
            if (scheme.equals("unix")) {
                // unix:///path/to/socket: the socket is the whole path, so the topic comes from -t
                if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getHost() != null) {
                    throw new UsageException("-L unix:// needs the socket's absolute path, as unix:///run/mosquitto.sock"
                            + ", was " + url);
                }
                if (unixSocket != null) {
                    throw new UsageException("-L unix:// and --unix go the same way: give one");
                }
                unixSocket = uri.getPath();
            }
            switch (scheme) {
                case "unix" -> { }
                case "mqtt" -> { }
                case "mqtts" -> tls = true;
                case "ws" -> webSocket = true;
                case "wss" -> {
                    webSocket = true;
                    tls = true;
                }
                default -> throw new UsageException("-L must start with mqtt://, mqtts://, ws://, wss:// or unix://, was "
                        + url);
            }
            h = scheme.equals("unix") ? null : uri.getHost();
            pt = uri.getPort() > 0 ? uri.getPort() : null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                u = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                pw = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
            }
            String path = scheme.equals("unix") ? null : uri.getRawPath();
            if (path != null && path.length() > 1) {
                urlTopic = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
            }
        }
        ProtocolVersion version = switch (protocol) {
            case "mqttv31", "31" -> ProtocolVersion.MQTT_3_1;
            case "mqttv311", "311" -> ProtocolVersion.MQTT_3_1_1;
            case "mqttv5", "5" -> ProtocolVersion.MQTT_5;
            default -> throw new UsageException("-V must be mqttv31, mqttv311 or mqttv5, was " + protocol);
        };
        if (version != ProtocolVersion.MQTT_5 && (sessionExpiry != null || !properties.isEmpty())) {
            throw new UsageException("-x and -D need -V mqttv5");
        }
        if (keepAlive < 0 || keepAlive > 65535) {
            throw new UsageException("-k must be 0..65535 seconds, was " + keepAlive);
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new UsageException("-p must be 1..65535, was " + port);
        }
        MqttClientConfig.Builder b = MqttClientConfig.builder()
                .broker(h == null ? "localhost" : h, pt != null ? pt : webSocket ? (tls ? 443 : 80) : tls ? 8883 : 1883)
                .protocolVersion(version)
                .keepAlive(Duration.ofSeconds(keepAlive))
                .cleanSession(!noCleanSession)
                .userName(u)
                .password(pw == null ? null : pw.getBytes(StandardCharsets.UTF_8));
        if (sessionExpiry != null) {
            b.sessionExpiryInterval(sessionExpiry == -1 ? 0xFFFF_FFFFL : sessionExpiry);
        }
        properties("connect", b);
        MqttProperties willProperties = properties("will", b);
        String clientId = id != null ? id : (idPrefix != null ? idPrefix : defaultIdPrefix) + ProcessHandle.current().pid();
        // never cut: two clients whose long ids share a prefix would share one session (mosquitto_pub refuses too)
        b.clientId(clientId);
        if (willTopic != null || willPayload != null) {
            if (willTopic == null || willPayload == null) {
                throw new UsageException("--will-topic and --will-payload go together");
            }
            Will w = new Will(willTopic, willPayload.getBytes(StandardCharsets.UTF_8), Qos.of(willQos), willRetain);
            b.will(willDelay > 0 ? w.withProperties(willProperties).withDelay(willDelay) : w.withProperties(willProperties));
        }
        TransportFactory transport = baseTransport();
        if (tls) {
            TlsConfig.Builder t = TlsConfig.builder();
            if (caFile != null) {
                t.caFile(caFile);
            }
            if (caPath != null) {
                t.caPath(caPath);
            }
            if (cert != null || key != null) {
                if (cert == null || key == null) {
                    throw new UsageException("--cert and --key go together");
                }
                t.clientCertificate(cert, key, keyPassword(key));
            }
            if (insecure) {
                t.hostNameVerification(false);
            }
            if (tlsVersion != null) {
                t.protocols(List.of(switch (tlsVersion) {
                    case "tlsv1.2" -> "TLSv1.2";
                    case "tlsv1.3" -> "TLSv1.3";
                    default -> throw new UsageException("--tls-version must be tlsv1.2 or tlsv1.3, was " + tlsVersion);
                }));
            }
            try {
                transport = TransportFactory.tls(t.build(), transport);
            } catch (IllegalArgumentException e) {
                throw new UsageException(inFlagTerms(e.getMessage()));
            }
        }
        if (webSocket) {
            transport = TransportFactory.webSocket(transport, "/mqtt",
                    version == ProtocolVersion.MQTT_3_1 ? "mqttv3.1" : "mqtt");
        }
        if (debug) {
            transport = TransportFactory.traced(transport, clientId, version, out::println);
        }
        try {
            return b.transport(transport).build();
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith("clientId")) {
                throw new UsageException((id != null ? "-i: " : "-I: ") + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * The key's password: {@code --key-password}, or asked for on the terminal, as mosquitto's tools do, when the key
     * is encrypted and there is a terminal; otherwise null (an encrypted key then fails with a message that says a
     * password is needed).
     */
    private char[] keyPassword(Path keyFile) {
        if (keyPassword != null) {
            return keyPassword.toCharArray();
        }
        java.io.Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            if (!java.nio.file.Files.readString(keyFile, StandardCharsets.ISO_8859_1).contains("ENCRYPTED")) {
                return null;
            }
        } catch (java.io.IOException e) {
            return null; // the library reports the unreadable file in its words
        }
        return console.readPassword("Enter PEM pass phrase for %s: ", keyFile);
    }

    /** A TLS configuration error in the words of the flags: {@code --cafile x.pem does not exist}. */
    static String inFlagTerms(String message) {
        String m = String.valueOf(message);
        String[][] names = {{"caFile ", "--cafile "}, {"caPath ", "--capath "}, {"certFile ", "--cert "},
            {"keyFile ", "--key "}};
        m = m.replace("a key password is needed", "a key password is needed (--key-password)");
        for (String[] n : names) {
            if (m.startsWith(n[0])) {
                return n[1] + m.substring(n[0].length());
            }
        }
        return m;
    }

    Qos qos() {
        if (qos < 0 || qos > 2) {
            throw new UsageException("-q must be 0, 1 or 2, was " + qos);
        }
        return Qos.of(qos);
    }
}
