package io.tocsin.notify;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.tocsin.delivery.EffectKind;

/**
 * Emails an on-call person notified by a step of an escalation policy, at the address the step wrote in the entry
 * ({@code to}). Text: {@code templates/email/oncall*.txt}.
 */
@Singleton
public class OnCallEmailNotifier implements Notifier {

    private final EmailNotifier email;
    private final Template subject;
    private final Template body;

    @Inject
    public OnCallEmailNotifier(EmailNotifier email, @Location("email/oncall-subject.txt") Template subject,
            @Location("email/oncall.txt") Template body) {
        this.email = email;
        this.subject = subject;
        this.body = body;
    }

    @Override
    public EffectKind kind() {
        return EffectKind.ONCALL_EMAIL;
    }

    @Override
    public Outcome send(Effect effect) {
        String to = effect.entry().to();
        if (to == null) {
            return new Outcome.FailedForGood(0, "no email sent: the entry names no recipient");
        }
        Outcome outcome = email.send(List.of(to), EmailTexts.render(subject, effect), EmailTexts.render(body, effect),
                effect.messageId());
        return outcome instanceof Outcome.Delivered delivered
                ? new Outcome.Delivered(delivered.status(),
                        "policy step " + effect.entry().level() + ": " + delivered.detail())
                : outcome;
    }
}
