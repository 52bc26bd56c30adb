"""Documents and collections: upload, list, delete — HTTP only; the rules (what an upload may
be, what a failed one leaves behind, where a delete looks) are ``RagService``'s.

A key scoped to some collections (``RAG_API_KEYS=KEY:team-a``) reads, writes, lists, creates
and deletes only those: any other name is a 403 (``rag.api.auth.permitted``), known or not.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile

from rag.api.auth import key_scope, permitted
from rag.api.connected import while_connected
from rag.api.errors import call_service
from rag.api.schemas import (
    COLLECTION_SCHEMA,
    CollectionList,
    DeletedCollection,
    DocumentList,
    DocumentSummary,
    ErrorBody,
    NewCollection,
    UploadedDocument,
)
from rag.config import Settings
from rag.schemas import CollectionInfo, DeletedDocument
from rag.service import RagService

# Room for the multipart envelope around the file itself.
MULTIPART_SLACK = 64 * 1024

CollectionParam = Annotated[
    str | None,
    Query(description="Collection (default: RAG_COLLECTION).", json_schema_extra=COLLECTION_SCHEMA),
]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


def documents_router(service: RagService, settings: Settings) -> APIRouter:
    router = APIRouter(tags=["documents"])
    limit = settings.max_upload_bytes

    @router.post(
        "/v1/documents",
        status_code=201,
        response_model=UploadedDocument,
        responses={
            200: {"model": UploadedDocument, "description": "The same file again: unchanged"},
            **_errors(413, 415, 422, 429),
        },
        summary="Upload and ingest one file (txt, md, html, pdf)",
        description="201 with the new document (``status`` ``added``, or ``replaced`` when it "
        "is a new version of a document of the same name, which it replaces); 200 with the "
        "existing document (``unchanged``) when the same content was uploaded under the same "
        "name before. Uploads take turns: 429 with ``Retry-After`` when too many are running "
        "or waiting. An upload whose client disconnects stops and leaves nothing behind.",
    )
    async def upload(
        request: Request,
        response: Response,
        file: Annotated[UploadFile, File(description="The document (txt, md, html, pdf).")],
        collection: Annotated[
            str | None,
            Form(description="Default: RAG_COLLECTION.", json_schema_extra=COLLECTION_SCHEMA),
        ] = None,
    ) -> UploadedDocument:
        name = permitted(key_scope(request, settings), collection, settings)
        data = await file.read(limit + 1)  # never more than one byte past the limit
        filename = file.filename or ""
        result = await while_connected(
            request, lambda stop: service.upload(filename, data, name, stop=stop)
        )
        if result.status == "unchanged":  # the same file again: the existing document, no copy
            response.status_code = 200
        return UploadedDocument(**result.model_dump(), collection=name)

    @router.get(
        "/v1/documents",
        response_model=DocumentList,
        responses=_errors(404, 422),
        summary="Documents with their chunk counts",
    )
    async def documents(request: Request, collection: CollectionParam = None) -> DocumentList:
        name = permitted(key_scope(request, settings), collection, settings)
        docs = await call_service(service.documents, name)
        return DocumentList(
            collection=name,
            documents=[DocumentSummary(**d.model_dump(exclude={"path"})) for d in docs],
        )

    @router.delete(
        "/v1/documents/{doc_id}",
        response_model=DeletedDocument,
        responses=_errors(404, 422),
        summary="Delete a document and its chunks",
    )
    async def delete_document(
        doc_id: str, request: Request, collection: CollectionParam = None
    ) -> DeletedDocument:
        """Without ``collection``, the document is looked for in every collection (that the
        API key may use)."""
        scope = key_scope(request, settings)
        if collection is not None:
            permitted(scope, collection, settings)
        return await call_service(service.delete, doc_id, collection, scope.collections)

    @router.get("/v1/collections", response_model=CollectionList, summary="Collections")
    async def collections(request: Request) -> CollectionList:
        """The collections the API key may use (all of them for a key without scope)."""
        scope = key_scope(request, settings)

        def listing() -> CollectionList:
            names = scope.visible(service.collections())
            return CollectionList(collections=[service.collection_info(n) for n in names])

        return await call_service(listing)

    @router.post(
        "/v1/collections",
        status_code=201,
        response_model=CollectionInfo,
        responses=_errors(409, 422),
        summary="Create an empty collection",
    )
    async def create_collection(body: NewCollection, request: Request) -> CollectionInfo:
        """A scoped API key may create the collections listed for it that do not exist yet."""
        permitted(key_scope(request, settings), body.name, settings)
        return await call_service(service.create_collection, body.name)

    @router.delete(
        "/v1/collections/{name}",
        response_model=DeletedCollection,
        responses=_errors(404),
        summary="Delete a collection, its chunks and its uploaded files",
    )
    async def delete_collection(
        name: Annotated[str, Path(json_schema_extra=COLLECTION_SCHEMA)],
        request: Request,
    ) -> DeletedCollection:
        permitted(key_scope(request, settings), name, settings)
        await call_service(service.drop_collection, name)
        return DeletedCollection(name=name)

    return router
