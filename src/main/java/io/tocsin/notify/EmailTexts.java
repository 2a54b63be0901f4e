package io.tocsin.notify;

import java.util.List;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.tocsin.delivery.OutboxEntry;

/**
 * The values an effect's email templates may use, as text: {@code incidentId}, {@code title}, {@code severity},
 * {@code source}, {@code description}, {@code openedAt}, {@code level}, {@code errors} (the latest trigger's errors,
 * joined by "; "). Subjects are made single-line by {@link EmailNotifier#send}.
 */
final class EmailTexts {

    private EmailTexts() {
    }

    static String render(Template template, Effect effect) {
        TemplateInstance instance = template.data("incidentId", effect.incidentId())
                .data("title", effect.alert().title())
                .data("severity", effect.alert().severity().wire())
                .data("source", effect.alert().source())
                .data("description", String.valueOf(effect.alert().description()))
                .data("openedAt", String.valueOf(effect.openedAt()))
                .data("level", String.valueOf(effect.entry().level()))
                .data("errors", String.join("; ", effect.latestTrigger().map(OutboxEntry::errors).orElse(List.of())));
        return instance.render();
    }
}
