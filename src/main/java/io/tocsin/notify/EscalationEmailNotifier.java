package io.tocsin.notify;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.tocsin.config.EscalationConfig;
import io.tocsin.config.Settings;
import io.tocsin.delivery.EffectKind;

/**
 * Emails an escalation (no PagerDuty API key, or the REST escalation failed) to TOCSIN_ESCALATION_RECIPIENTS, else the
 * summary recipients. Text: {@code templates/email/escalation*.txt}.
 */
@Singleton
public class EscalationEmailNotifier implements Notifier {

    private final EmailNotifier email;
    private final EscalationConfig escalation;
    private final Settings settings;
    private final Template subject;
    private final Template body;

    @Inject
    public EscalationEmailNotifier(EmailNotifier email, EscalationConfig escalation, Settings settings,
            @Location("email/escalation-subject.txt") Template subject, @Location("email/escalation.txt") Template body) {
        this.email = email;
        this.escalation = escalation;
        this.settings = settings;
        this.subject = subject;
        this.body = body;
    }

    @Override
    public EffectKind kind() {
        return EffectKind.ESCALATION_EMAIL;
    }

    @Override
    public Outcome send(Effect effect) {
        return email.send(escalation.recipients().orElse(settings.summaryEmail().recipients()),
                EmailTexts.render(subject, effect), EmailTexts.render(body, effect), effect.messageId());
    }
}
