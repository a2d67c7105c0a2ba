# unit tests are registered by their component's fragment
