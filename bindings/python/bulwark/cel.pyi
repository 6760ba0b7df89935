from typing import Any, Sequence

class Program:
    """A compiled CEL expression (immutable, shareable across threads)."""

    @property
    def source(self) -> str:
        """The expression text."""
    def evaluate(self, **bindings: Any) -> Any:
        """Evaluates with each keyword argument (a JSON-compatible value) bound to the variable
        of its name. Raises InvalidArgumentError for runtime errors, ResourceExhaustedError past
        the cost budget."""

def compile(expression: str, variables: Sequence[str] = ()) -> Program:
    """Compiles `expression`, whose free variables are `variables`; raises
    InvalidArgumentError with line:column and a caret excerpt."""
