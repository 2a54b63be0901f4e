package io.tocsin.oncall.document;

/** What applying a document does to one stored item. */
public enum ChangeAction {
    CREATE, UPDATE, DELETE
}
