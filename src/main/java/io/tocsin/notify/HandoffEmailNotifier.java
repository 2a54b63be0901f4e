package io.tocsin.notify;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.tocsin.delivery.EffectKind;

/**
 * Sends on-call handoff notices ({@link #KIND}, {@code handoff_email}): one email per person and shift boundary, to
 * the person's email contact methods, through {@link EmailNotifier} (one attempt per call, never throws for the
 * server's failures). A handoff is no incident's effect, so its outbox is the handoff items (io.tocsin.handoff), not an
 * incident's; this sender has the {@link Notifier} contract otherwise (an {@link Outcome}, the same Message-ID on every
 * attempt). Text: {@code templates/email/handoff*.txt}.
 */
@Singleton
public class HandoffEmailNotifier {

    /** The stored name of a handoff notice's effect kind. */
    public static final EffectKind KIND = EffectKind.define("handoff_email", false,
            (action, level) -> "on-call handoff email");
    /** Local times in the person's zone, with the zone's abbreviation and offset so that a DST change is visible. */
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE d MMM yyyy HH:mm zzz (xxx)", Locale.ENGLISH);

    private final EmailNotifier email;
    private final Template subject;
    private final Template body;

    @Inject
    public HandoffEmailNotifier(EmailNotifier email, @Location("email/handoff-subject.txt") Template subject,
            @Location("email/handoff.txt") Template body) {
        this.email = email;
        this.subject = subject;
        this.body = body;
    }

    /** One attempt at {@code notice}. */
    public Outcome send(HandoffEmail notice) {
        return email.send(notice.recipients(), render(subject, notice), render(body, notice), notice.messageId());
    }

    private static String render(Template template, HandoffEmail notice) {
        return template.data("person", notice.personName())
                .data("schedule", notice.scheduleName())
                .data("incoming", notice.incoming())
                .data("other", notice.other() == null ? "" : notice.other())
                .data("at", local(notice.boundary(), notice))
                .data("until", notice.until() == null ? "" : local(notice.until(), notice))
                .render();
    }

    private static String local(Instant instant, HandoffEmail notice) {
        return LOCAL.format(ZonedDateTime.ofInstant(instant, notice.zone())) + ", " + instant;
    }
}
