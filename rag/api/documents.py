"""Documents and collections: upload, list, delete.

An upload's file name is metadata only (it becomes ``source``): the service stores the bytes
under a server-made name in the data dir. A file that cannot be read leaves nothing behind —
no stored file, no chunks, and no collection created just for it.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, UploadFile

from rag.api.errors import ApiError, call_service
from rag.api.schemas import (
    COLLECTION_SCHEMA,
    CollectionInfo,
    CollectionList,
    DeletedCollection,
    DeletedDocument,
    DocumentList,
    DocumentSummary,
    ErrorBody,
    NewCollection,
    UploadedDocument,
)
from rag.config import Settings, validate_collection_name
from rag.documents import DocumentError, kind_of
from rag.service import RagService

# Room for the multipart envelope around the file itself.
MULTIPART_SLACK = 64 * 1024

CollectionParam = Annotated[
    str | None,
    Query(description="Collection (default: RAG_COLLECTION).", json_schema_extra=COLLECTION_SCHEMA),
]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


def collection_info(service: RagService, name: str) -> CollectionInfo:
    return CollectionInfo(
        name=name,
        documents=len(service.documents(name)),
        chunks=service.collection(name).count(),
    )


def drop_if_empty(service: RagService, name: str) -> None:
    if name in service.collections() and service.collection(name).count() == 0:
        service.drop_collection(name)


def delete_anywhere(service: RagService, doc_id: str, collection: str | None) -> DeletedDocument:
    """Delete a document from ``collection``, or from whichever collection holds it."""
    if collection is not None:
        names = [collection]
    else:
        default, present = service.settings.collection, service.collections()
        others = [n for n in present if n != default]
        names = [default, *others] if default in present else others
    for name in names:
        try:
            removed = service.delete(doc_id, name)
        except KeyError:
            continue
        return DeletedDocument(id=doc_id, collection=name, chunks_removed=removed)
    where = f"collection {collection!r}" if collection else "any collection"
    raise ApiError(404, f"no document {doc_id!r} in {where}", "unknown_document")


def documents_router(service: RagService, settings: Settings) -> APIRouter:
    router = APIRouter(tags=["documents"])
    limit = settings.max_upload_bytes

    @router.post(
        "/v1/documents",
        status_code=201,
        response_model=UploadedDocument,
        responses=_errors(413, 415, 422),
        summary="Upload and ingest one file (txt, md, html, pdf)",
    )
    async def upload(
        file: Annotated[UploadFile, File(description="The document (txt, md, html, pdf).")],
        collection: Annotated[
            str | None,
            Form(description="Default: RAG_COLLECTION.", json_schema_extra=COLLECTION_SCHEMA),
        ] = None,
    ) -> UploadedDocument:
        name = collection or settings.collection
        try:
            validate_collection_name(name)
            filename = PurePosixPath((file.filename or "").replace("\\", "/")).name
            kind_of(filename)
        except DocumentError as exc:
            raise ApiError(415, str(exc), "unsupported_file_type") from exc
        except ValueError as exc:
            raise ApiError(422, f"collection: {exc}", "invalid_request") from exc
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise ApiError(413, f"file is larger than the limit of {limit} bytes", "file_too_large")
        if not data:
            raise ApiError(422, "file: the file is empty", "invalid_request")
        existed = name in await call_service(service.collections)
        try:
            result = await call_service(service.upload, filename, data, name)
        except Exception:
            if not existed:
                await call_service(drop_if_empty, service, name)
            raise
        return UploadedDocument(**result.model_dump(), collection=name)

    @router.get(
        "/v1/documents",
        response_model=DocumentList,
        responses=_errors(404, 422),
        summary="Documents with their chunk counts",
    )
    async def documents(collection: CollectionParam = None) -> DocumentList:
        name = collection or settings.collection
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
    async def delete_document(doc_id: str, collection: CollectionParam = None) -> DeletedDocument:
        """Without ``collection``, the document is looked for in every collection."""
        return await call_service(delete_anywhere, service, doc_id, collection)

    @router.get("/v1/collections", response_model=CollectionList, summary="Collections")
    async def collections() -> CollectionList:
        def listing() -> CollectionList:
            return CollectionList(
                collections=[collection_info(service, n) for n in service.collections()]
            )

        return await call_service(listing)

    @router.post(
        "/v1/collections",
        status_code=201,
        response_model=CollectionInfo,
        responses=_errors(409, 422),
        summary="Create an empty collection",
    )
    async def create_collection(body: NewCollection) -> CollectionInfo:
        if body.name in await call_service(service.collections):
            raise ApiError(409, f"collection {body.name!r} already exists", "collection_exists")
        await call_service(service.collection, body.name, True)
        return CollectionInfo(name=body.name, documents=0, chunks=0)

    @router.delete(
        "/v1/collections/{name}",
        response_model=DeletedCollection,
        responses=_errors(404),
        summary="Delete a collection, its chunks and its uploaded files",
    )
    async def delete_collection(
        name: Annotated[str, Path(json_schema_extra=COLLECTION_SCHEMA)],
    ) -> DeletedCollection:
        await call_service(service.drop_collection, name)
        return DeletedCollection(name=name)

    return router
