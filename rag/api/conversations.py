"""Stored conversations and feedback — HTTP only; the store and its rules are the service's.

A caller sees only its own conversations (those asked with its API key; on a server without
keys, all of them). ``POST /v1/query`` and the chat endpoint create and extend them: every
answer is a turn, and its response names ``conversation_id`` and ``turn_id``. A key scoped to
some collections sees only its conversations about those (its scope may have shrunk since it
asked): others are left out of the list and refused with 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from rag.api.auth import caller, conversation_permitted, forbidden, key_scope
from rag.api.errors import call_service
from rag.api.schemas import ErrorBody
from rag.schemas import (
    Conversation,
    ConversationInfo,
    ConversationList,
    ConversationUpdate,
    DeletedConversation,
    FeedbackRecord,
    FeedbackRequest,
)
from rag.service import RagService

ConversationId = Annotated[str, Path(min_length=1, max_length=64)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such conversation (or not yours)."}
}


def conversations_router(service: RagService) -> APIRouter:
    router = APIRouter(tags=["conversations"])

    def owner(request: Request) -> str:
        return caller(request, service.settings)

    async def in_scope(conversation_id: str, request: Request) -> Conversation:
        """The caller's conversation, if its key may use the collections it asked about."""
        found = await call_service(service.conversation, conversation_id, owner(request))
        if not conversation_permitted(key_scope(request, service.settings), found):
            raise forbidden("this API key may no longer use the collection of that conversation")
        return found

    @router.get(
        "/v1/conversations",
        response_model=ConversationList,
        summary="Your conversations, most recent first",
    )
    async def list_conversations(request: Request) -> ConversationList:
        scope = key_scope(request, service.settings)
        found = await call_service(service.list_conversations, owner(request))
        return ConversationList(
            conversations=[c for c in found if conversation_permitted(scope, c)]
        )

    @router.get(
        "/v1/conversations/{conversation_id}",
        response_model=Conversation,
        responses=NOT_FOUND,
        summary="A conversation with every stored turn",
        description="Each turn keeps the question, the standalone question retrieval used, "
        "every passage retrieved (text, offsets, document version), the answer with its "
        "per-sentence support, the generator and settings, and its feedback.",
    )
    async def get_conversation(conversation_id: ConversationId, request: Request) -> Conversation:
        return await in_scope(conversation_id, request)

    @router.patch(
        "/v1/conversations/{conversation_id}",
        response_model=ConversationInfo,
        responses=NOT_FOUND,
        summary="Rename a conversation",
    )
    async def rename_conversation(
        conversation_id: ConversationId, body: ConversationUpdate, request: Request
    ) -> ConversationInfo:
        await in_scope(conversation_id, request)
        return await call_service(
            service.rename_conversation, conversation_id, body.title, owner(request)
        )

    @router.delete(
        "/v1/conversations/{conversation_id}",
        response_model=DeletedConversation,
        responses=NOT_FOUND,
        summary="Delete a conversation, its turns and their feedback",
    )
    async def delete_conversation(
        conversation_id: ConversationId, request: Request
    ) -> DeletedConversation:
        await in_scope(conversation_id, request)
        return await call_service(service.delete_conversation, conversation_id, owner(request))

    @router.post(
        "/v1/feedback",
        status_code=201,
        response_model=FeedbackRecord,
        responses={404: {"model": ErrorBody, "description": "No such turn (or not yours)."}},
        summary="Rate an answer (thumbs up or down, a note, the correct answer)",
        description="The last rating of a turn counts. `rag eval --export-feedback FILE` turns "
        "rated answers into candidate gold items for a person to review.",
    )
    async def feedback(body: FeedbackRequest, request: Request) -> FeedbackRecord:
        return await call_service(service.feedback, body, owner(request))

    return router
