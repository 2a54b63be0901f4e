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
                LOG.warnf("Email '%s' attempt %d of %d failed, trying again: %s", Texts.log(mail.getSubject()), attempt,
                        ATTEMPTS, Texts.log(e));
            }
        }
    }

    /**
     * A plain-text email to people (escalations, failed pages), as one outward effect: delivered when the SMTP server
     * took it, retry after when it did not (server down, timeout), failed for good when there is no one to send it to.
     * {@code messageId} is the same on every attempt at one effect, so that a copy sent again after a crash can be
     * recognised as the same message.
     */
    public Outcome send(List<String> recipients, String subject, String text, String messageId) {
        if (recipients.isEmpty()) {
            LOG.errorf("No recipients configured for: %s", Texts.log(subject));
            return new Outcome.FailedForGood(0, "no email sent: no recipients configured "
                    + "(ALERT_SUMMARY_EMAIL_RECIPIENTS / TOCSIN_ESCALATION_RECIPIENTS)");
        }
        try {
            Mail mail = Mail.withText(recipients.get(0), Texts.subject(subject), text).setTo(recipients);
            mail.addHeader("Message-ID", "<" + messageId + ">");
            deliver(mail);
            return new Outcome.Delivered(0, "emailed " + String.join(", ", recipients));
        } catch (RuntimeException e) {
            LOG.errorf("Email failed: %s: %s", Texts.log(subject), Texts.log(e));
            return new Outcome.RetryAfter(0, "email to " + String.join(", ", recipients) + " failed: "
                    + Texts.singleLine(String.valueOf(e.getMessage())));
        }
    }
}
