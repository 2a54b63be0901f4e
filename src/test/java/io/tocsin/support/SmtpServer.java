package io.tocsin.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real SMTP server (GreenMail) on a free loopback port; the mailer is pointed at it. */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {

    private static GreenMail greenMail;

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return Map.of("quarkus.mailer.host", "127.0.0.1", "quarkus.mailer.port", Integer.toString(port),
                "quarkus.mailer.tls", "false", "quarkus.mailer.start-tls", "DISABLED", "quarkus.mailer.mock", "false",
                "quarkus.mailer.from", "tocsin@example.com");
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    public static GreenMail greenMail() {
        return greenMail;
    }

    /** The subjects of every message received so far, oldest first. */
    public static java.util.List<String> subjects() {
        java.util.List<String> subjects = new java.util.ArrayList<>();
        for (jakarta.mail.internet.MimeMessage message : greenMail.getReceivedMessages()) {
            try {
                subjects.add(message.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                throw new AssertionError(e);
            }
        }
        return subjects;
    }
}
