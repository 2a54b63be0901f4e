package io.tocsin.local;

import java.nio.file.Path;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.tocsin.store.DynaliteServer;

/**
 * Entry point of the local run only (compiled by the Maven profile {@code local}, never part of function.zip):
 * starts dynalite on a free port, persisting to {@code .tocsin-data/} (git-ignored), points the DynamoDB client at
 * it, then starts Tocsin with every function at {@code POST http://localhost:8080/<function>}.
 */
@QuarkusMain
public class LocalMain {

    public static void main(String... args) {
        Path project = Path.of("").toAbsolutePath();
        DynaliteServer dynalite = DynaliteServer.start(project, project.resolve(".tocsin-data/dynalite"));
        System.setProperty("quarkus.dynamodb.endpoint-override", dynalite.endpoint());
        System.out.println("Local DynamoDB (dynalite) on " + dynalite.endpoint() + ", data in .tocsin-data/");
        try {
            Quarkus.run(args);
        } finally {
            dynalite.close();
        }
    }
}
