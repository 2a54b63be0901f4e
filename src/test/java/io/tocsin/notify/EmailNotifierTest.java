package io.tocsin.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;

/** One failed attempt does not lose an email; two failed attempts are reported. */
class EmailNotifierTest {

    /** Fails its first {@code failures} sends, then records what it is given. */
    static final class FlakyMailer implements Mailer {
        private int failures;
        final List<Mail> sent = new ArrayList<>();
        int calls;

        FlakyMailer(int failures) {
            this.failures = failures;
        }

        @Override
        public void send(Mail... mails) {
            calls++;
            if (failures-- > 0) {
                throw new IllegalStateException("stalled connection " + calls);
            }
            sent.addAll(List.of(mails));
        }
    }

    @Test
    void aFailedAttemptIsMadeOnceMore() {
        FlakyMailer mailer = new FlakyMailer(1);
        Outcome outcome = new EmailNotifier(mailer).send(List.of("sre@example.com"), "subject", "text", "m1@tocsin");
        assertEquals(new Outcome.Delivered(0, "emailed sre@example.com"), outcome);
        assertEquals(2, mailer.calls);
        assertEquals(1, mailer.sent.size());
    }

    @Test
    void twoFailedAttemptsAreReportedNotHidden() {
        FlakyMailer mailer = new FlakyMailer(2);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new EmailNotifier(mailer).deliver(Mail.withText("sre@example.com", "subject", "text")));
        assertEquals("stalled connection 2", e.getMessage());
        assertEquals(EmailNotifier.ATTEMPTS, mailer.calls);
        Outcome outcome = new EmailNotifier(new FlakyMailer(2)).send(List.of("sre@example.com"), "subject", "text",
                "m2@tocsin");
        Outcome.RetryAfter retry = assertInstanceOf(Outcome.RetryAfter.class, outcome, "an SMTP failure is retried");
        assertTrue(retry.reason().startsWith("email to sre@example.com failed: stalled connection 2"), retry.reason());
        assertInstanceOf(Outcome.FailedForGood.class, new EmailNotifier(new FlakyMailer(0)).send(List.of(), "s", "t",
                "m3@tocsin"), "nobody to send it to cannot get better by trying again");
    }
}
