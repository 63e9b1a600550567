"""The quiz's questions as a StreamField, one block per registered question type.

Each type brings its own block (see `types/`). The StreamField's definition is what the
migrations record: the blocks' names and fields, in the order the types are registered.
"""

from wagtail import blocks

from .types import question_types


class QuestionsBlock(blocks.StreamBlock):
    def __init__(self, local_blocks=None, **kwargs):
        by_type = [(kind.name, kind.block()) for kind in question_types()]
        super().__init__([*by_type, *(local_blocks or [])], **kwargs)

    class Meta:
        min_num = 1
