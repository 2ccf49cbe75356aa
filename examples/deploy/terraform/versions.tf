terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.28 is the first release whose aws_lambda_permission has invoked_via_function_url, the
      # second statement a Function URL with auth NONE needs (lambda.tf). 6.x also names the
      # region attribute `region` (main.tf).
      version = ">= 6.28, < 7.0"
    }
  }
}
