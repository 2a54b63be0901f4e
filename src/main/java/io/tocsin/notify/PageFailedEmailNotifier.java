package io.tocsin.notify;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.tocsin.config.Settings;
import io.tocsin.delivery.EffectKind;

/**
 * Emails the summary recipients that a page could not be delivered to PagerDuty, with PagerDuty's errors. Text:
 * {@code templates/email/page-failed*.txt}.
 */
@Singleton
public class PageFailedEmailNotifier implements Notifier {

    private final EmailNotifier email;
    private final Settings settings;
    private final Template subject;
    private final Template body;

    @Inject
    public PageFailedEmailNotifier(EmailNotifier email, Settings settings,
            @Location("email/page-failed-subject.txt") Template subject,
            @Location("email/page-failed.txt") Template body) {
        this.email = email;
        this.settings = settings;
        this.subject = subject;
        this.body = body;
    }

    @Override
    public EffectKind kind() {
        return EffectKind.PAGE_FAILED_EMAIL;
    }

    @Override
    public Outcome send(Effect effect) {
        return email.send(settings.summaryEmail().recipients(), EmailTexts.render(subject, effect),
                EmailTexts.render(body, effect), effect.messageId());
    }
}
