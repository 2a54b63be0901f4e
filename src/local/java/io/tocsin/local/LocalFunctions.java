package io.tocsin.local;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Bean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Arc;
import io.quarkus.funqy.Funq;
import io.tocsin.api.Answer;
import io.tocsin.api.ApiGateway;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Local run only: {@code POST http://localhost:8080/<function>} with the direct-invocation JSON, answered with the
 * function's direct-invocation body unchanged and the HTTP status API Gateway's route gives that answer
 * ({@link Answer#statusOf}: 400 for an invalid request, 401, 403, 404, 409, 413), where Funqy HTTP would answer 200
 * to everything. Runs before Funqy's own route; a name that is no {@code @Funq} function is left to Funqy.
 */
public class LocalFunctions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Map<String, Method> functions;

    void routes(@Observes Router router) {
        router.post("/:function").order(-4).handler(BodyHandler.create());
        router.post("/:function").order(-3).blockingHandler(this::handle); // blocking: the functions call DynamoDB
    }

    private synchronized Map<String, Method> functions() {
        if (functions == null) {
            functions = new TreeMap<>();
            for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class)) {
                if (!bean.getBeanClass().getName().startsWith("io.tocsin.")) {
                    continue;
                }
                for (Method method : bean.getBeanClass().getDeclaredMethods()) {
                    Funq funq = method.getAnnotation(Funq.class);
                    if (funq != null) {
                        functions.put(funq.value().isEmpty() ? method.getName() : funq.value(), method);
                    }
                }
            }
        }
        return functions;
    }

    private void handle(RoutingContext context) {
        Method function = functions().get(context.pathParam("function"));
        if (function == null) {
            context.next();
            return;
        }
        byte[] body = context.body() == null || context.body().buffer() == null ? new byte[0]
                : context.body().buffer().getBytes();
        JsonNode input = null;
        if (body.length > 0) {
            input = ApiGateway.parseJson(body);
            if (input == null) {
                respond(context, 400, ApiGateway.error("malformed_json", "(body)", "is not valid JSON"));
                return;
            }
        }
        try {
            Object bean = Arc.container().instance(function.getDeclaringClass()).get();
            JsonNode answer = JSON.valueToTree(function.invoke(bean, input));
            respond(context, Answer.statusOf(answer), answer);
        } catch (InvocationTargetException e) {
            context.fail(e.getCause());
        } catch (IllegalAccessException e) {
            context.fail(e);
        }
    }

    private static void respond(RoutingContext context, int status, JsonNode body) {
        context.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }
}
