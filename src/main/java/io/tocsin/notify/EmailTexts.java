package io.tocsin.notify;

import java.util.List;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.tocsin.delivery.OutboxEntry;

/**
 * The values an effect's email templates may use, as text: {@code incidentId}, {@code title}, {@code severity},
 * {@code source}, {@code description}, {@code openedAt}, {@code level}, {@code errors} (the latest trigger's errors,
 * joined by "; "): the single-line ones through {@link Texts#singleLine}, the description through
 * {@link Texts#multiLine}. Subjects are also cut by {@link EmailNotifier#send}.
 */
final class EmailTexts {

    private EmailTexts() {
    }

    static String render(Template template, Effect effect) {
        // plain text: a sender's single-line fields stay on their line, and no bidi control reorders what is read
        TemplateInstance instance = template.data("incidentId", Texts.singleLine(effect.incidentId()))
                .data("title", Texts.singleLine(effect.alert().title()))
                .data("severity", effect.alert().severity().wire())
                .data("source", Texts.singleLine(effect.alert().source()))
                .data("description", Texts.multiLine(String.valueOf(effect.alert().description())))
                .data("openedAt", String.valueOf(effect.openedAt()))
                .data("level", String.valueOf(effect.entry().level()))
                .data("errors", Texts.singleLine(String.join("; ",
                        effect.latestTrigger().map(OutboxEntry::errors).orElse(List.of()))));
        return instance.render();
    }
}
