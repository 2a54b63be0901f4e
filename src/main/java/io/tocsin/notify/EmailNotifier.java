package io.tocsin.notify;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/**
 * Email to people: escalations and failed pages when PagerDuty cannot be used, and the daily summary. Every email goes
 * through {@link #deliver(Mail)}: each attempt is bounded by {@code quarkus.mailer.timeout} on a fresh SMTP connection
 * (application.properties), and a failed attempt is made once more, so that one stalled or dropped connection does not
 * lose the email.
 */
@Singleton
public class EmailNotifier {

    private static final Logger LOG = Logger.getLogger(EmailNotifier.class);

    /** Attempts per email: the first, and one more on a new connection. */
    static final int ATTEMPTS = 2;

    private final Mailer mailer;

    @Inject
    public EmailNotifier(Mailer mailer) {
        this.mailer = mailer;
    }

    /**
     * Sends {@code mail}, trying again once if an attempt fails (an attempt that timed out after the server took the
     * message may then arrive twice; a lost email is the worse outcome).
     *
     * @throws RuntimeException the last attempt's failure
     */
    public void deliver(Mail mail) {
        for (int attempt = 1;; attempt++) {
            try {
                mailer.send(mail);
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.warnf("Email '%s' attempt %d of %d failed, trying again: %s", mail.getSubject(), attempt,
                        ATTEMPTS, e.toString());
            }
        }
    }

    /** A plain-text email. @return a line for the timeline saying what happened */
    public String send(List<String> recipients, String subject, String text) {
        if (recipients.isEmpty()) {
            LOG.errorf("No recipients configured for: %s", subject);
            return "no email sent: no recipients configured (ALERT_SUMMARY_EMAIL_RECIPIENTS)";
        }
        try {
            deliver(Mail.withText(recipients.get(0), subject, text).setTo(recipients));
            return "emailed " + String.join(", ", recipients);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Email failed: %s", subject);
            return "email to " + String.join(", ", recipients) + " failed: " + e.getMessage();
        }
    }
}
