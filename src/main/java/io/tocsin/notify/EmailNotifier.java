package io.tocsin.notify;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/** Plain-text email to people, for when PagerDuty cannot be used (escalation without an API key, failed pages). */
@Singleton
public class EmailNotifier {

    private static final Logger LOG = Logger.getLogger(EmailNotifier.class);

    private final Mailer mailer;

    @Inject
    public EmailNotifier(Mailer mailer) {
        this.mailer = mailer;
    }

    /** @return a line for the timeline saying what happened */
    public String send(List<String> recipients, String subject, String text) {
        if (recipients.isEmpty()) {
            LOG.errorf("No recipients configured for: %s", subject);
            return "no email sent: no recipients configured (ALERT_SUMMARY_EMAIL_RECIPIENTS)";
        }
        try {
            mailer.send(Mail.withText(recipients.get(0), subject, text).setTo(recipients));
            return "emailed " + String.join(", ", recipients);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Email failed: %s", subject);
            return "email to " + String.join(", ", recipients) + " failed: " + e.getMessage();
        }
    }
}
